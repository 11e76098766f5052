// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  amountOf,
  bestScores,
  bullet,
  commitGap,
  dealRow,
  defaultPair,
  differenceView,
  factorViews,
  fanSeries,
  forecastQuery,
  forecastUrlParams,
  movedDeals,
  movedSummary,
  optimismViews,
  parseForecastState,
  parsePeriod,
  periodChoices,
  periodKeyFromRange,
  periodName,
  quarterOf,
  reliabilityPoints,
  rollupRows,
  snapshotPeriod,
} from './forecast';
import type { ForecastDeal, GroupRollup, Money, Rollup, Snapshot } from './types';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const M = (amount: number, currency = 'DKK'): Money => ({ currency, amount, amount_minor: amount * 100 });
const rollup = (c: string, o: Partial<Record<keyof Rollup, number>> = {}): Rollup => ({
  currency: c,
  deals: o.deals ?? 3,
  closed_won: M(o.closed_won ?? 100, c),
  pipeline: M(o.pipeline ?? 500, c),
  stated: M(o.stated ?? 350, c),
  commit: M(o.commit ?? 300, c),
  best_case: M(o.best_case ?? 400, c),
  expected: M(o.expected ?? 250, c),
  p10: M(o.p10 ?? 150, c),
  p50: M(o.p50 ?? 240, c),
  p90: M(o.p90 ?? 360, c),
});

describe('periods', () => {
  it('parses quarters and months with their first and last day', () => {
    expect(parsePeriod('2026-Q4')).toEqual({ key: '2026-Q4', kind: 'quarter', start: '2026-10-01', end: '2026-12-31' });
    expect(parsePeriod('2024-02')).toEqual({ key: '2024-02', kind: 'month', start: '2024-02-01', end: '2024-02-29' });
    expect(parsePeriod('2026-q1')?.end).toBe('2026-03-31');
    expect(parsePeriod('2026-13')).toBeNull();
    expect(parsePeriod('2026-Q5')).toBeNull();
    expect(parsePeriod('')).toBeNull();
  });
  it('finds the quarter of a date and the key of a range', () => {
    expect(quarterOf('2026-11-24')).toBe('2026-Q4');
    expect(quarterOf('2026-01-01')).toBe('2026-Q1');
    expect(periodKeyFromRange('2026-10-01', '2026-12-31')).toBe('2026-Q4');
    expect(periodKeyFromRange('2026-11-01', '2026-11-30')).toBe('2026-11');
    expect(periodKeyFromRange('2026-11-03', '2026-11-30')).toBe('');
  });
  it('offers quarters and months around the date, across year ends', () => {
    const { quarters, months } = periodChoices('2026-01-15');
    expect(quarters.map((q) => q.key)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(months.map((m) => m.key)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04']);
  });
  it('names periods in the language', () => {
    expect(periodName('2026-Q4', 'en')).toBe('Q4 2026');
    expect(periodName('2026-11', 'en')).toBe('November 2026');
    expect(periodName('2026-11', 'da')).toBe('November 2026');
  });
});

describe('URL state and query', () => {
  it('keeps good values and drops junk', () => {
    expect(parseForecastState({ period: '2026-Q3', as_of: '2026-08-01', team_id: '2', rep_id: 'x', offset: '25' })).toEqual({
      period: '2026-Q3',
      asOf: '2026-08-01',
      teamId: '2',
      repId: '',
      offset: 25,
    });
    expect(parseForecastState({ period: 'soon', as_of: '1/2/2026', offset: '-3' })).toEqual({ period: '', asOf: '', teamId: '', repId: '', offset: 0 });
  });
  it('builds the API query with paging and a URL query without defaults', () => {
    const st = { period: '2026-Q4', asOf: '', teamId: '', repId: '7', offset: 0 };
    expect(forecastQuery(st)).toEqual({ period: '2026-Q4', rep_id: '7', limit: 25, offset: 0 });
    expect(forecastUrlParams(st)).toEqual({ period: '2026-Q4', rep_id: '7' });
    expect(forecastUrlParams({ ...st, offset: 50 })).toEqual({ period: '2026-Q4', rep_id: '7', offset: 50 });
  });
});

describe('money and the commit-vs-model comparison', () => {
  it('reads MONEY and plain numbers', () => {
    expect(amountOf(M(12.5))).toBe(12.5);
    expect(amountOf(7)).toBe(7);
    expect(amountOf({ currency: 'DKK', amount_minor: 250 } as Money)).toBe(2.5);
    expect(amountOf(null)).toBe(0);
  });
  it('classifies the commit against the model', () => {
    expect(commitGap(rollup('DKK', { commit: 400, expected: 250, p90: 360 })).level).toBe('above_p90');
    expect(commitGap(rollup('DKK', { commit: 300, expected: 250, p90: 360 }))).toEqual({ gap: 50, ratio: 0.2, level: 'above' });
    expect(commitGap(rollup('DKK', { commit: 260, expected: 250 })).level).toBe('near');
    expect(commitGap(rollup('DKK', { commit: 100, expected: 250, p10: 150 })).level).toBe('below_p10');
    expect(commitGap(rollup('DKK', { commit: 10, expected: 0, p10: 0, p90: 0 })).level).toBe('above_p90');
  });
  it('scales the bullet to the widest figure', () => {
    const b = bullet(rollup('DKK', { best_case: 400 }));
    expect(b.bestCase).toBeCloseTo(95.2, 1);
    expect(b.commit).toBeCloseTo(71.4, 1);
    expect(b.p10).toBeLessThan(b.expected);
    expect(b.expected).toBeLessThan(b.p90);
  });
});

describe('fan series', () => {
  const pts = [
    { date: '2026-10-04', closed_won: M(10), expected: M(10), p10: M(10), p50: M(10), p90: M(10) },
    { date: '2026-10-11', closed_won: M(30), expected: M(40), p10: M(30), p50: M(38), p90: M(55) },
    { date: '2026-10-18', closed_won: M(30), expected: M(80), p10: M(45), p50: M(78), p90: M(120) },
    { date: '2026-10-25', closed_won: M(30), expected: M(100), p10: M(50), p50: M(95), p90: M(150) },
  ];
  it('stacks the P10–P90 band and ends the closed-won line at as_of', () => {
    const f = fanSeries([...pts].reverse(), '2026-10-14');
    expect(f.dates).toEqual(pts.map((p) => p.date));
    expect(f.p10).toEqual([10, 30, 45, 50]);
    expect(f.band).toEqual([0, 25, 75, 100]);
    expect(f.p50).toEqual([10, 38, 78, 95]);
    expect(f.expected).toEqual([10, 40, 80, 100]);
    expect(f.asOfIndex).toBe(1);
    // The week end after as_of carries what is won today; later points are unknown.
    expect(f.closedWon).toEqual([10, 30, 30, null]);
  });
  it('takes plain numbers and never draws a negative band', () => {
    const f = fanSeries([{ date: '2026-10-04', closed_won: 0, expected: 5, p10: 6, p50: 5, p90: 4 }], '2026-10-04');
    expect(f.band).toEqual([0]);
    expect(f.closedWon).toEqual([0]);
    expect(fanSeries(null, '2026-10-01').dates).toEqual([]);
  });
});

describe('roll-up table', () => {
  const g = (level: 'team' | 'rep', id: number, name: string, c = 'DKK', o = {}): GroupRollup => ({ level, id, name, ...rollup(c, o) });
  it('puts each team before its reps and the totals last', () => {
    const groups = [g('rep', 5, 'Sofie'), g('rep', 4, 'Anders'), g('team', 1, 'Danmark Øst'), g('rep', 9, 'Kari', 'NOK'), g('team', 3, 'Norge', 'NOK')];
    const team: Record<number, string> = { 4: 'Danmark Øst', 5: 'Danmark Øst', 9: 'Norge' };
    const rows = rollupRows(groups, [rollup('NOK'), rollup('DKK')], 'en', (id) => team[id] ?? null, 'Total');
    expect(rows.map((r) => `${r.level}:${r.name}:${r.currency}`)).toEqual([
      'team:Danmark Øst:DKK',
      'rep:Anders:DKK',
      'rep:Sofie:DKK',
      'team:Norge:NOK',
      'rep:Kari:NOK',
      'total:Total:DKK',
      'total:Total:NOK',
    ]);
    expect(rows[1].indent).toBe(true);
    expect(nbsp(rows[0].gap)).toBe('+DKK 50');
    expect(rows[0].gapRatio).toBe('+20%');
    expect(rows[0].gapLevel).toBe('above');
  });
  it('lists reps alone for a manager without team rows', () => {
    const rows = rollupRows([g('rep', 4, 'Anders', 'DKK', { commit: 500 })], [], 'en');
    expect(rows).toHaveLength(1);
    expect(rows[0].indent).toBe(false);
    expect(rows[0].gapLevel).toBe('above_p90');
    expect(nbsp(rollupRows([g('rep', 4, 'Anders', 'DKK', { commit: 200 })], [], 'en')[0].gap)).toBe('−DKK 50');
  });
});

describe('deals and factors', () => {
  const deal: ForecastDeal = {
    id: 42,
    name: 'Holm — Platform',
    account_id: 3,
    account: 'Holm Byg A/S',
    owner_id: 2,
    owner: 'Anders Nielsen',
    team: 'Danmark Øst',
    stage: 'negotiate',
    amount: M(250000),
    close_date: '2026-12-01',
    forecast_category: 'commit',
    p_model: 0.35,
    p_stated: 0.8,
    difference: 0.45,
    p_slip: 0.2,
    factors: {
      up: [
        { feature: 'eb_met', label: 'economic buyer met', effect: 0.4 },
        { feature: 'stage', label: 'stage negotiate', effect: 0.8 },
      ],
      down: [{ feature: 'activity_recency', label: 'no activity for 45 days', effect: -1.6 }],
    },
  };
  it('orders factors by strength and shows them as odds multipliers', () => {
    const f = factorViews(deal.factors, 'en');
    expect(f.up.map((x) => x.label)).toEqual(['stage negotiate', 'economic buyer met']);
    expect(f.up[0].odds).toBe('×2.23');
    expect(f.down[0]).toEqual({ feature: 'activity_recency', label: 'no activity for 45 days', odds: '×0.2', width: 100, direction: 'down' });
    expect(f.up[0].width).toBe(50);
    expect(factorViews(undefined, 'en')).toEqual({ up: [], down: [] });
    expect(factorViews({ up: [{ feature: 'deal_age', label: '', effect: 0.1 }], down: [] }, 'da').up[0]).toMatchObject({ label: 'deal age', odds: '×1,11' });
  });
  it('marks the rep as more optimistic than the model', () => {
    expect(differenceView(deal, 'en')).toEqual({ text: '+45', tone: 'optimistic', points: 45 });
    expect(differenceView({ p_model: 0.6, p_stated: 0.3, difference: null }, 'en')).toEqual({ text: '−30', tone: 'pessimistic', points: -30 });
    expect(differenceView({ p_model: 0.6, p_stated: 0.62, difference: 0.02 }, 'en').tone).toBe('agree');
    expect(differenceView({ p_model: 0.6, p_stated: null, difference: null }, 'en').tone).toBe('none');
  });
  it('builds a deal row', () => {
    const r = dealRow(deal, 'en');
    expect(nbsp(r.amount)).toBe('DKK 250,000');
    expect(r.inPeriod).toBe(true);
    expect(dealRow({ ...deal, in_period: false }, 'en').inPeriod).toBe(false);
    expect(r).toMatchObject({ href: '/opportunities/42', pStated: '80%', pModel: '35%', pSlip: '20%', hasFactors: true });
  });
});

describe('optimism', () => {
  it('sorts the most optimistic first and places the whiskers on a shared scale', () => {
    const v = optimismViews(
      [
        { rep_id: 1, name: 'Anna', team: 'SE', examples: 40, mean_stated: 0.5, win_rate: 0.45, optimism: 0.05, lower: -0.05, upper: 0.15 },
        { rep_id: 2, name: 'Erik', team: 'SE', examples: 30, mean_stated: 0.6, win_rate: 0.3, optimism: 0.3, lower: 0.18, upper: 0.42 },
        { rep_id: 3, name: 'Kari', team: null, examples: 3, mean_stated: null, win_rate: null, optimism: null, lower: null, upper: null },
      ],
      'en',
    );
    expect(v.scale).toBe(0.5);
    expect(v.rows.map((r) => r.name)).toEqual(['Erik', 'Anna', 'Kari']);
    expect(v.rows[0]).toMatchObject({ optimism: '+30', interval: '+18 … +42', dot: 80, lower: 68, upper: 92, verdict: 'optimistic' });
    expect(v.rows[1]).toMatchObject({ interval: '−5 … +15', verdict: 'unclear', dot: 55 });
    expect(v.rows[2]).toMatchObject({ optimism: '–', dot: null, verdict: 'unclear' });
  });
});

describe('backtest', () => {
  const m = (brier: number, log_loss: number, auc: number) => ({
    brier,
    log_loss,
    auc,
    reliability: [
      { lower: 0, upper: 0.1, count: 10, mean_predicted: 0.05, observed_rate: 0.1 },
      { lower: 0.1, upper: 0.2, count: 0, mean_predicted: null, observed_rate: null },
      { lower: 0.2, upper: 0.3, count: 4, mean_predicted: 0.25, observed_rate: 0.25 },
    ],
  });
  it('keeps the bins with examples as reliability points', () => {
    expect(reliabilityPoints(m(0.1, 0.3, 0.8))).toEqual([
      { value: [0.05, 0.1], count: 10 },
      { value: [0.25, 0.25], count: 4 },
    ]);
    expect(reliabilityPoints(null)).toEqual([]);
  });
  it('finds the best of the three on each score', () => {
    expect(bestScores({ model: m(0.15, 0.45, 0.82), stated: m(0.22, 0.7, 0.7), stage_default: m(0.18, 0.4, 0.75) })).toEqual({
      brier: 'model',
      log_loss: 'stage_default',
      auc: 'model',
    });
    expect(bestScores({ model: null, stated: undefined, stage_default: null })).toEqual({ brier: null, log_loss: null, auc: null });
  });
});

describe('snapshots and what moved', () => {
  const snap = (id: number, taken_at: string, period: Snapshot['period'] = '2026-Q4'): Snapshot => ({ id, taken_at, as_of: taken_at.slice(0, 10), period, deals: 3, totals: [] });
  it('compares the second newest with the newest by default', () => {
    expect(defaultPair([snap(1, '2026-11-01T08:00:00Z'), snap(3, '2026-11-15T08:00:00Z'), snap(2, '2026-11-08T08:00:00Z')])).toEqual([2, 3]);
    expect(defaultPair([snap(1, '2026-11-01T08:00:00Z')])).toBeNull();
    expect(snapshotPeriod(snap(1, 'x', { label: '2026-Q4' }))).toBe('2026-Q4');
    expect(snapshotPeriod(snap(1, 'x', { label: '', start: '2026-11-01', end: '2026-11-30' }))).toBe('2026-11');
  });
  it('summarises each kind in a fixed order with amounts per currency', () => {
    const rows = movedSummary(
      [
        { kind: 'amount_down', count: 1, amounts: [M(5000, 'SEK')] },
        { kind: 'new', count: 2, amounts: [M(20000, 'SEK'), M(10000, 'DKK')] },
        { kind: 'revived', count: 1, amounts: [] },
      ],
      'en',
    );
    expect(rows.map((r) => `${r.kind}:${r.count}`)).toEqual(['new:2', 'won:0', 'lost:0', 'pushed_out:0', 'pulled_in:0', 'amount_up:0', 'amount_down:1', 'revived:1']);
    expect(nbsp(rows[0].amounts)).toBe('DKK 10,000 · SEK 20,000');
    expect(rows[1].amounts).toBe('–');
    expect(rows[6].tone).toBe('red');
  });
  it('groups the moves by deal', () => {
    const base = { owner_id: 2, owner: 'Anders', stage_before: 'propose', stage_after: 'negotiate', close_before: '2026-11-01', close_after: '2027-01-15' };
    const deals = movedDeals(
      [
        { ...base, kind: 'amount_up', opportunity_id: 7, name: 'B deal', amount_before: M(100), amount_after: M(150) },
        { ...base, kind: 'pushed_out', opportunity_id: 7, name: 'B deal', amount_before: M(100), amount_after: M(150) },
        { ...base, kind: 'new', opportunity_id: 8, name: 'A deal', stage_before: null, amount_before: null, amount_after: 90 },
      ],
      'en',
      () => 'SEK',
    );
    expect(deals.map((d) => [d.name, d.kinds.join('+')])).toEqual([
      ['A deal', 'new'],
      ['B deal', 'pushed_out+amount_up'],
    ]);
    expect(deals[0].amountBefore).toBe('–');
    expect(nbsp(deals[0].amountAfter)).toBe('SEK 90');
    expect(nbsp(deals[1].amountAfter)).toBe('DKK 150');
  });
});
