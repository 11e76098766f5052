// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  alignmentTrend,
  amountOf,
  emptyObjectiveForm,
  formatMetricValue,
  isEmptyProposition,
  joinLines,
  metricNeedsCurrency,
  metricUnit,
  objectiveBody,
  objectiveToForm,
  objectiveView,
  objectiveViews,
  parseTarget,
  quarterOf,
  splitLines,
  splitSegments,
  statusCounts,
  statusTone,
  validateObjective,
  valuePropositionBody,
  valuePropositionToForm,
  valuePropositionView,
} from './cascade';
import { OBJECTIVE_METRICS, type CascadeObjective, type CascadeSegment } from './types';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

function objective(over: Partial<CascadeObjective> = {}): CascadeObjective {
  return {
    id: 1,
    version: 2,
    name: 'New sales DKK +10 %',
    metric: 'won_amount',
    unit: 'money',
    currency: 'DKK',
    target: 12_000_000,
    actual: 7_800_000,
    progress: 0.65,
    elapsed: 0.5,
    cumulative: true,
    status: 'on_track',
    period_start: '2026-01-01',
    period_end: '2026-12-31',
    ...over,
  };
}

describe('metrics', () => {
  it('every metric has its unit; money and margin % need a currency', () => {
    expect(OBJECTIVE_METRICS.map(metricUnit)).toEqual(['money', 'money', 'percent', 'percent', 'count', 'count', 'percent', 'percent']);
    expect(OBJECTIVE_METRICS.filter(metricNeedsCurrency)).toEqual(['won_amount', 'gross_margin', 'margin_pct']);
    expect(metricUnit('something_new')).toBe('count');
  });

  it('formats a value in its unit', () => {
    expect(nbsp(formatMetricValue(12_000_000, 'money', 'DKK', 'da'))).toBe('12.000.000 kr.');
    expect(nbsp(formatMetricValue(12_000_000, 'money', 'SEK', 'en'))).toBe('SEK 12,000,000');
    expect(nbsp(formatMetricValue(37.45, 'percent', null, 'en'))).toBe('37.5%');
    expect(nbsp(formatMetricValue(40, 'percent', null, 'da'))).toBe('40 %');
    expect(formatMetricValue(1234, 'count', null, 'en')).toBe('1,234');
    expect(formatMetricValue(null, 'count', null, 'en')).toBe('–');
  });
});

describe('objectives', () => {
  it('shapes an objective: target and actual in the unit, progress against the elapsed share', () => {
    const v = objectiveView(objective(), 'en');
    expect(nbsp(v.target)).toBe('DKK 12,000,000');
    expect(nbsp(v.actual)).toBe('DKK 7,800,000');
    expect(v.bar).toBe(0.65);
    expect(v.progress).toBe('65%');
    expect(v.elapsed).toBe(0.5);
    expect(v.tone).toBe('blue');
  });

  it('clamps the bar, keeps a missing actual and progress as dashes', () => {
    expect(objectiveView(objective({ progress: 1.4, status: 'achieved' }), 'en').bar).toBe(1);
    const none = objectiveView(objective({ actual: null, progress: null, metric: 'win_rate', unit: 'percent', currency: null, target: 40 }), 'en');
    expect(none.bar).toBeNull();
    expect(none.actual).toBe('–');
    expect(none.progress).toBe('–');
    expect(none.target).toBe('40%');
    expect(objectiveView(objective({ elapsed: 1.3 }), 'en').elapsed).toBe(1);
  });

  it('sorts by period end, then name', () => {
    const views = objectiveViews(
      [objective({ id: 1, name: 'B', period_end: '2026-12-31' }), objective({ id: 2, name: 'A', period_end: '2026-12-31' }), objective({ id: 3, name: 'Z', period_end: '2026-03-31' })],
      'en',
    );
    expect(views.map((v) => v.id)).toEqual([3, 2, 1]);
  });

  it('has a colour per status and counts statuses in order', () => {
    expect(['not_started', 'on_track', 'behind', 'achieved', 'missed', 'x'].map(statusTone)).toEqual(['grey', 'blue', 'yellow', 'green', 'red', 'grey']);
    expect(statusCounts([{ status: 'behind' }, { status: 'on_track' }, { status: 'behind' }])).toEqual([
      { status: 'on_track', count: 1 },
      { status: 'behind', count: 2 },
    ]);
  });
});

describe('the objective form', () => {
  it('defaults to the current quarter', () => {
    expect(quarterOf('2026-11-24')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(quarterOf('2024-02-10')).toEqual({ start: '2024-01-01', end: '2024-03-31' });
    expect(emptyObjectiveForm('2026-05-02', 'DKK')).toMatchObject({ metric: 'won_amount', currency: 'DKK', period_start: '2026-04-01', period_end: '2026-06-30' });
  });

  it('reads targets as the user writes them', () => {
    expect(parseTarget('1.000.000')).toBe(1_000_000);
    expect(parseTarget('1 000 000,5')).toBe(1_000_000.5);
    expect(parseTarget('37,5 %')).toBe(37.5);
    expect(parseTarget('')).toBeNull();
    expect(parseTarget('abc')).toBeNull();
  });

  it('checks only that each field has something; the rules are the server’s', () => {
    const form = { ...emptyObjectiveForm('2026-11-24'), name: ' ', target: '' };
    expect(validateObjective(form)).toEqual({ name: 'required', target: 'required', currency: 'required' });
    expect(validateObjective({ ...form, name: 'x', target: '-5', metric: 'meetings' })).toEqual({});
    expect(validateObjective({ ...form, name: 'x', target: '1-2', metric: 'meetings' })).toEqual({ target: 'number' });
    // An end before the start goes to the server, which answers 422 at period_end.
    expect(validateObjective({ ...form, name: 'x', target: '5', metric: 'meetings', period_end: '2026-01-01' })).toEqual({});
  });

  it('sends a currency only for the metrics that have one, and the version on a change', () => {
    const form = { name: ' Win rate ', metric: 'win_rate' as const, currency: 'DKK', target: '40', period_start: '2026-10-01', period_end: '2026-12-31' };
    expect(objectiveBody(form)).toEqual({ name: 'Win rate', metric: 'win_rate', target: 40, currency: null, period_start: '2026-10-01', period_end: '2026-12-31' });
    expect(objectiveBody({ ...form, metric: 'gross_margin', currency: 'sek', target: '2.500.000' }, 3)).toEqual({
      name: 'Win rate',
      metric: 'gross_margin',
      target: 2_500_000,
      currency: 'SEK',
      period_start: '2026-10-01',
      period_end: '2026-12-31',
      version: 3,
    });
    expect(objectiveToForm(objective())).toEqual({ name: 'New sales DKK +10 %', metric: 'won_amount', currency: 'DKK', target: '12000000', period_start: '2026-01-01', period_end: '2026-12-31' });
  });
});

describe('value propositions', () => {
  it('splits one item per line, dropping blanks and spaces', () => {
    expect(splitLines('a\r\nb\n\n  c  \n')).toEqual(['a', 'b', 'c']);
    expect(splitLines([' a ', '', 'b'])).toEqual(['a', 'b']);
    expect(splitLines(null)).toEqual([]);
    expect(joinLines(['a', ' b'])).toBe('a\nb');
  });

  it('shapes a record or the cascade’s lists alike', () => {
    const fromRecord = valuePropositionView({ id: 1, version: 1, segment_id: 2, statement: ' Fewer stops ', key_issues: 'Downtime\nRetiring staff', discovery_questions: 'How many hours?', proof_points: '' });
    const fromCascade = valuePropositionView({ id: 1, version: 1, statement: 'Fewer stops', key_issues: ['Downtime', 'Retiring staff'], discovery_questions: ['How many hours?'], proof_points: [] });
    expect(fromRecord).toEqual(fromCascade);
    expect(isEmptyProposition(fromRecord)).toBe(false);
    expect(isEmptyProposition(valuePropositionView({ id: 1, version: 1, statement: '', key_issues: [], discovery_questions: null, proof_points: '' }))).toBe(true);
    expect(valuePropositionView(null)).toBeNull();
  });

  it('edits the lists as text and sends them one item per line', () => {
    const form = valuePropositionToForm({ id: 4, version: 7, statement: 'S', key_issues: ['a', 'b'], discovery_questions: ['q?'], proof_points: null });
    expect(form).toEqual({ statement: 'S', key_issues: 'a\nb', discovery_questions: 'q?', proof_points: '' });
    expect(valuePropositionBody({ ...form, key_issues: 'a\n\n b \n' }, { version: 7 })).toEqual({ statement: 'S', key_issues: 'a\nb', discovery_questions: 'q?', proof_points: '', version: 7 });
    expect(valuePropositionBody(form, { segmentId: 3 })).toMatchObject({ segment_id: 3 });
  });
});

describe('segments and the company alignment', () => {
  it('puts the core segments first and the others apart', () => {
    const seg = (id: number, core: boolean): CascadeSegment => ({ segment_id: id, name: `S${id}`, core, suggested_core: false, customers: 1, win_rate: null, value_proposition: null });
    const { core, other } = splitSegments([seg(1, true), seg(2, false), seg(3, true)]);
    expect(core.map((s) => s.segment_id)).toEqual([1, 3]);
    expect(other.map((s) => s.segment_id)).toEqual([2]);
  });

  it('reads money as an object or a number', () => {
    expect(amountOf({ amount: 5, currency: 'DKK' })).toBe(5);
    expect(amountOf(7)).toBe(7);
    expect(amountOf(null)).toBeNull();
  });

  it('makes the trend oldest first with a pipeline series per currency', () => {
    const row = (start: string, label: string, m: number | null) => ({
      period: { start, end: start, label },
      meetings: { total: 10, core: 4, core_share: m },
      activities: { total: 20, core: 10, core_share: 0.5 },
      pipeline: [
        { currency: 'SEK', total: 100, core: 30, core_share: 0.3 },
        { currency: 'DKK', total: { amount: 200, currency: 'DKK' }, core: { amount: 100, currency: 'DKK' }, core_share: 0.5 },
      ],
    });
    const trend = alignmentTrend([row('2026-07-01', '2026-Q3', 0.4), row('2026-04-01', '2026-Q2', null)], 'en');
    expect(trend.labels).toEqual(['2026-Q2', '2026-Q3']);
    expect(trend.series.map((s) => s.key)).toEqual(['meetings', 'activities', 'pipeline:DKK', 'pipeline:SEK']);
    expect(trend.series[0].values).toEqual([null, 0.4]);
    expect(trend.rows[1].meetings).toBe('40%');
    expect(trend.rows[1].meetingsCount).toBe('4/10');
    expect(trend.rows[0].pipeline.map((p) => [p.currency, p.share, nbsp(p.core)])).toEqual([
      ['DKK', '50%', 'DKK 100'],
      ['SEK', '30%', 'SEK 30'],
    ]);
  });
});
