// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../lib/api/query';
import {
  actionBody,
  actionState,
  addDays,
  auditStateQuery,
  coachingRows,
  colourDistribution,
  colourFigures,
  contrastRatio,
  currencyDigits,
  defaultComparison,
  firstReason,
  heatColour,
  heatMapData,
  heatRowsFor,
  itemsQuery,
  minorToMajor,
  movesMatrix,
  orderRuns,
  parseAuditState,
  parseScope,
  reasonCriterion,
  reportQuery,
  scoreBar,
  scorecardPath,
  share,
  sortActions,
  sortByColour,
  stackedPercents,
  subjectPath,
  textColourOn,
  valueByCurrency,
} from './audit';
import type { AuditGroup, AuditRun, AuditSection } from './types';

function group(key: string, items: [number, number, number], meets: number[], weakest: string | null = null): AuditGroup {
  const [green, yellow, red] = items;
  return {
    key,
    label: key.toUpperCase(),
    tally: { items: green + yellow + red, green, yellow, red },
    mean_score: [0, 0, 0, 0, 0],
    meets_minimum: meets,
    mean_gap: [0.1, 0.2, 0.3, 0.4, 0.5],
    weakest_area: weakest,
    weakest_area_name: weakest ? `Area ${weakest}` : null,
  };
}

const AREAS = ['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => ({ id, name: `Name ${id}` }));

describe('audit dashboard state and queries', () => {
  it('reads the URL with defaults and rejects junk', () => {
    expect(parseAuditState({})).toEqual({ asOf: '', tab: 'opportunity', colour: 'red', area: '', teamId: '', repId: '', offset: 0 });
    expect(
      parseAuditState({ as_of: '2026-10-01', tab: 'account', colour: 'green', area: 'value', team_id: '3', offset: '50' }),
    ).toEqual({ asOf: '2026-10-01', tab: 'account', colour: 'green', area: 'value', teamId: '3', repId: '', offset: 50 });
    const junk = parseAuditState({ as_of: '1/10/2026', tab: 'lead', colour: 'blue', area: 'x y', team_id: 'a', offset: '-4' });
    expect(junk).toEqual({ asOf: '', tab: 'opportunity', colour: 'red', area: '', teamId: '', repId: '', offset: 0 });
  });

  it('leaves defaults out of the page query and round-trips', () => {
    const s = parseAuditState({});
    expect(buildQuery(auditStateQuery(s))).toBe('');
    const t = { ...s, tab: 'account' as const, colour: 'yellow' as const, area: 'value', offset: 25, asOf: '2026-09-30' };
    const q = buildQuery(auditStateQuery(t));
    expect(q).toBe('?as_of=2026-09-30&tab=account&colour=yellow&area=value&offset=25');
    expect(parseAuditState(Object.fromEntries(new URLSearchParams(q.slice(1))))).toEqual(t);
  });

  it('builds the report and items queries', () => {
    const s = { ...parseAuditState({}), asOf: '2026-10-01', area: 'relationships', offset: 25 };
    expect(buildQuery(reportQuery(s, 'da'))).toBe('?as_of=2026-10-01&locale=da');
    expect(buildQuery(itemsQuery(s, 'en'))).toBe(
      '?as_of=2026-10-01&locale=en&subject_type=opportunity&colour=red&area=relationships&limit=25&offset=25',
    );
    expect(buildQuery(itemsQuery({ ...s, asOf: '', area: '', offset: 0, teamId: '2' }, 'sv', 10))).toBe(
      '?team_id=2&locale=sv&subject_type=opportunity&colour=red&limit=10&offset=0',
    );
  });
});

describe('audit shares and money', () => {
  it('computes shares per colour, red first', () => {
    expect(share(1, 4)).toBe(0.25);
    expect(share(3, 0)).toBeNull();
    expect(colourFigures({ items: 8, green: 2, yellow: 2, red: 4 })).toEqual([
      { colour: 'red', count: 4, share: 0.5 },
      { colour: 'yellow', count: 2, share: 0.25 },
      { colour: 'green', count: 2, share: 0.25 },
    ]);
    expect(colourFigures(null).map((f) => f.share)).toEqual([null, null, null]);
  });

  it('makes stacked percents that add up to 100', () => {
    expect(stackedPercents([1, 1, 1])).toEqual([34, 33, 33]);
    expect(stackedPercents([122, 152, 69]).reduce((a, b) => a + b)).toBe(100);
    expect(stackedPercents([0, 0, 0])).toEqual([0, 0, 0]);
    expect(stackedPercents([0, 5, 0])).toEqual([0, 100, 0]);
  });

  it('turns minor units into major units per currency', () => {
    expect(currencyDigits('DKK')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(minorToMajor(255500000, 'DKK')).toBe(2555000);
    expect(minorToMajor(1234, 'JPY')).toBe(1234);
    expect(currencyDigits('??')).toBe(2);
  });

  it('lists value per currency and colour, never adding currencies', () => {
    const rows = valueByCurrency({ SEK: { green: 100, red: 300 }, DKK: { green: 10000, yellow: 20000, red: 70000 }, NOK: {} });
    expect(rows).toEqual([
      { currency: 'DKK', green: 100, yellow: 200, red: 700, total: 1000, redShare: 0.7 },
      { currency: 'SEK', green: 1, yellow: 0, red: 3, total: 4, redShare: 0.75 },
    ]);
    expect(valueByCurrency(undefined)).toEqual([]);
  });
});

describe('audit heat map', () => {
  const section = (teams: AuditGroup[], reps: AuditGroup[]): AuditSection => ({
    subject_type: 'opportunity',
    playbook: 'p',
    playbook_title: 'P',
    areas: AREAS,
    total: { items: 0, green: 0, yellow: 0, red: 0 },
    mean_gap: [],
    by_team: teams,
    by_rep: reps,
    by_segment: [],
    by_stage: [],
    worst: {},
  });

  it('shows teams × areas when there are several teams, reps × areas for one team', () => {
    const teams = [group('east', [1, 1, 1], [1, 0.5, 0, 0.25, 0.75]), group('west', [0, 0, 2], [0, 0, 0, 0, 0])];
    const reps = [group('anders', [1, 0, 0], [1, 1, 1, 1, 1]), group('sofie', [0, 0, 1], [0, 0, 0, 0, 0])];
    expect(heatRowsFor(section(teams, reps)).axis).toBe('team');
    expect(heatRowsFor(section(teams.slice(0, 1), reps))).toEqual({ axis: 'rep', groups: reps });
    expect(heatRowsFor(section([], [])).groups).toEqual([]);
  });

  it('has one cell per row and area with the whole percent meeting the minimum', () => {
    const teams = [group('east', [1, 1, 1], [1, 0.5, 0, 0.254, 0.756]), group('west', [0, 0, 2], [0, 0, 0, 0, 0])];
    const data = heatMapData(section(teams, []));
    expect(data.axis).toBe('team');
    expect(data.rows.map((r) => r.label)).toEqual(['EAST', 'WEST']);
    expect(data.columns.map((c) => c.name)).toEqual(AREAS.map((a) => a.name));
    expect(data.cells).toHaveLength(10);
    expect(data.cells.filter((c) => c.y === 0).map((c) => c.value)).toEqual([100, 50, 0, 25, 76]);
    expect(data.cells[0]).toMatchObject({ x: 0, y: 0, colour: '#3a68a6' });
    expect(data.cells[2]).toMatchObject({ x: 2, y: 0, colour: '#c62d1f' });
  });

  it('leaves out rows without items', () => {
    const teams = [group('east', [1, 0, 0], [1, 1, 1, 1, 1]), group('empty', [0, 0, 0], [0, 0, 0, 0, 0]), group('west', [0, 1, 0], [0, 0, 0, 0, 0])];
    expect(heatMapData(section(teams, [])).rows.map((r) => r.key)).toEqual(['east', 'west']);
  });

  it('interpolates the colour scale and clamps', () => {
    expect(heatColour(0)).toBe('#c62d1f');
    expect(heatColour(0.5)).toBe('#fee090');
    expect(heatColour(1)).toBe('#3a68a6');
    expect(heatColour(-1)).toBe('#c62d1f');
    expect(heatColour(2)).toBe('#3a68a6');
    expect(heatColour(Number.NaN)).toBe('#c62d1f');
    expect(heatColour(0.125)).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('picks cell text that reads (WCAG AA 4.5:1 everywhere on the scale)', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 0);
    for (let p = 0; p <= 100; p += 1) {
      const bg = heatColour(p / 100);
      expect(contrastRatio(bg, textColourOn(bg)), `${p}% on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(textColourOn('#fee090')).toBe('#000000');
    expect(textColourOn('#3a68a6')).toBe('#ffffff');
  });
});

describe('audit colour bars and coaching', () => {
  it('counts and percents per row', () => {
    const d = colourDistribution([group('east', [1, 1, 2], []), group('west', [0, 0, 0], [])]);
    expect(d.labels).toEqual(['EAST', 'WEST']);
    expect(d.counts).toEqual({ red: [2, 0], yellow: [1, 0], green: [1, 0] });
    expect(d.percents).toEqual({ red: [50, 0], yellow: [25, 0], green: [25, 0] });
  });

  it('lists reps with their weakest area, most red first', () => {
    const rows = coachingRows(
      [group('a', [3, 0, 1], [0.9, 0.8, 0.2, 1, 1], 'a3'), group('b', [0, 1, 1], [0.5, 0.4, 1, 1, 1], 'a2'), group('c', [0, 0, 0], [], null)],
      AREAS,
    );
    expect(rows.map((r) => r.key)).toEqual(['b', 'a']);
    expect(rows[0]).toMatchObject({ items: 2, red: 1, redShare: 0.5, weakestArea: 'a2', weakestName: 'Area a2', weakestMeets: 0.4, weakestGap: 0.2 });
    expect(rows[1]).toMatchObject({ weakestMeets: 0.2, weakestGap: 0.3 });
  });
});

describe('audit order and actions', () => {
  it('sorts red first, then the highest value', () => {
    const items = [
      { name: 'g', colour: 'green' as const, value: { minor: 900, currency: 'DKK' } },
      { name: 'r-small', colour: 'red' as const, value: { minor: 100, currency: 'DKK' } },
      { name: 'y', colour: 'yellow' as const, value: null },
      { name: 'r-big', colour: 'red' as const, value: { minor: 500, currency: 'DKK' } },
    ];
    expect(sortByColour(items).map((i) => i.name)).toEqual(['r-big', 'r-small', 'y', 'g']);
  });

  it('orders actions: open by due date, then done, then gap closed', () => {
    const actions = [
      { id: 1, done: true, gap_closed: false, due: '2026-11-01' },
      { id: 2, done: false, gap_closed: false, due: '2026-12-01' },
      { id: 3, done: true, gap_closed: true, due: '2026-10-01' },
      { id: 4, done: false, gap_closed: false, due: '2026-11-15' },
      { id: 5, done: false, gap_closed: false, due: null },
    ];
    expect(sortActions(actions).map((a) => a.id)).toEqual([4, 2, 5, 1, 3]);
  });

  it('gives an action its state', () => {
    expect(actionState({ done: false, gap_closed: false, due: '2026-11-01' }, '2026-11-23')).toBe('overdue');
    expect(actionState({ done: false, gap_closed: false, due: '2026-11-23' }, '2026-11-23')).toBe('open');
    expect(actionState({ done: true, gap_closed: false, due: '2026-11-01' }, '2026-11-23')).toBe('done');
    expect(actionState({ done: false, gap_closed: true, due: '2026-11-01' }, '2026-11-23')).toBe('closed');
  });

  it('builds the action body: criterion and owner only when given', () => {
    const item = { subject_type: 'opportunity' as const, id: 7 };
    expect(actionBody(item, 'eb_met', { ownerId: '4', due: '2026-12-01', note: ' call ' })).toEqual({
      subject_type: 'opportunity',
      subject_id: 7,
      criterion_id: 'eb_met',
      owner_id: 4,
      due: '2026-12-01',
      note: 'call',
    });
    expect(actionBody(item, null, { ownerId: '', due: '2026-12-01', note: '' })).toEqual({
      subject_type: 'opportunity',
      subject_id: 7,
      due: '2026-12-01',
      note: '',
    });
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-11-23', 7)).toBe('2026-11-30');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('bad', 1)).toBe('bad');
  });
});

describe('audit scorecard helpers', () => {
  it('sizes score bars against the area maximum', () => {
    expect(scoreBar(1, 3, 4)).toEqual({ score: 25, minimum: 75, meets: false });
    expect(scoreBar(4, 3, 4)).toEqual({ score: 100, minimum: 75, meets: true });
    expect(scoreBar(0, 0, 4)).toEqual({ score: 0, minimum: 0, meets: true });
    expect(scoreBar(6, 2, 5).score).toBe(100);
    expect(scoreBar(2, 2, 0).score).toBe(50);
  });

  it('shows the first reason and how many more', () => {
    expect(firstReason({ reasons: ['a', 'b', 'c'] })).toEqual({ text: 'a', more: 2 });
    expect(firstReason({ reasons: [] })).toEqual({ text: '', more: 0 });
  });

  it('maps a reason to its criterion', () => {
    const item = { findings: [{ kind: 'stale', criterion: null, days: 40, limit: 30 }, { kind: 'criterion', criterion: 'eb_met', days: 0, limit: 0 }] };
    expect(reasonCriterion(item, 0)).toBeNull();
    expect(reasonCriterion(item, 1)).toBe('eb_met');
    expect(reasonCriterion(item, 5)).toBeNull();
  });

  it('links to the scorecard and the record', () => {
    expect(scorecardPath('opportunity', 12)).toBe('/audit/opportunity/12');
    expect(scorecardPath('account', 3, '2026-10-01')).toBe('/audit/account/3?as_of=2026-10-01');
    expect(subjectPath('opportunity', 12)).toBe('/opportunities/12');
    expect(subjectPath('account', 3)).toBe('/accounts/3');
  });
});

describe('audit run comparison', () => {
  it('makes the moves matrix with totals', () => {
    const m = movesMatrix([
      { from: 'green', to: 'red', count: 2 },
      { from: 'red', to: 'green', count: 1 },
      { from: 'red', to: 'red', count: 5 },
      { from: 'new', to: 'yellow', count: 3 },
      { from: 'yellow', to: 'gone', count: 4 },
    ]);
    expect(m.from).toEqual(['green', 'yellow', 'red', 'new']);
    expect(m.to).toEqual(['green', 'yellow', 'red', 'gone']);
    expect(m.counts).toEqual([
      [0, 0, 2, 0],
      [0, 0, 0, 4],
      [1, 0, 5, 0],
      [0, 3, 0, 0],
    ]);
    expect(m.rowTotals).toEqual([2, 4, 6, 3]);
    expect(m.colTotals).toEqual([1, 3, 7, 4]);
  });

  it('picks the newest two runs, older audit date first', () => {
    const run = (id: number, as_of: string, created_at: string): AuditRun => ({ id, as_of, created_at, scope: 'company', items: 1, green: 1, yellow: 0, red: 0 });
    const runs = [run(1, '2026-09-01', '2026-09-01T10:00:00Z'), run(2, '2026-11-01', '2026-11-02T10:00:00Z'), run(3, '2026-10-01', '2026-11-03T10:00:00Z')];
    expect(defaultComparison(runs)).toEqual([3, 2]);
    expect(defaultComparison(runs.slice(0, 1))).toBeNull();
    expect(orderRuns(runs[1], runs[0])).toEqual([1, 2]);
    expect(orderRuns(run(9, '2026-11-01', 'x'), run(4, '2026-11-01', 'y'))).toEqual([4, 9]);
  });
});

describe('audit scope', () => {
  it('reads company, team and rep scopes', () => {
    expect(parseScope('company')).toEqual({ kind: 'company', value: '' });
    expect(parseScope('team:Danmark Øst')).toEqual({ kind: 'team', value: 'Danmark Øst' });
    expect(parseScope('rep:anders.nielsen@demo.salesbox.example')).toEqual({ kind: 'rep', value: 'anders.nielsen@demo.salesbox.example' });
    expect(parseScope('segment:x:y')).toEqual({ kind: 'other', value: 'segment:x:y' });
    expect(parseScope(null)).toEqual({ kind: 'company', value: '' });
  });
});
