// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { alignmentCurrencies, alignmentPeriods, alignmentTable, companyTrendRows, lowestIds, sortAlignment } from './alignment';
import type { AlignmentReport, AlignmentRow } from './types';

const Q3 = { start: '2026-07-01', end: '2026-09-30', label: '2026-Q3' };
const Q4 = { start: '2026-10-01', end: '2026-12-31', label: '2026-Q4' };

function row(level: string, id: number, name: string, period = Q4, meetings: number | null = 0.5, dkk: number | null = 0.4): AlignmentRow {
  return {
    level,
    id,
    name,
    period,
    meetings: { total: meetings === null ? 0 : 10, core: meetings === null ? 0 : meetings * 10, high_fit: 2, core_share: meetings, high_fit_share: 0.2 },
    activities: { total: 20, core: 8, high_fit: 6, core_share: 0.4, high_fit_share: 0.3 },
    unlinked_activities: 0,
    pipeline: dkk === null ? [] : [{ currency: 'DKK', deals: 3, total: { currency: 'DKK', amount: 1000 }, core: { currency: 'DKK', amount: 1000 * dkk }, core_share: dkk }],
  };
}

const report: AlignmentReport = {
  granularity: 'quarter',
  rows: [
    row('company', 0, 'company', Q3, 0.3),
    row('company', 0, 'company', Q4, 0.45),
    row('team', 1, 'Danmark Øst', Q4, 0.6),
    row('team', 2, 'Norge', Q4, 0.2, 0.1),
    row('team', 3, 'Sverige Öst', Q4, null, null),
    row('rep', 11, 'Anders Nielsen', Q4, 0.5),
    row('rep', 12, 'Sofie Jensen', Q4, 0.5),
    row('team', 1, 'Danmark Øst', Q3, 0.1),
  ],
};

describe('alignment tables', () => {
  it('lists the periods newest first and the currencies', () => {
    expect(alignmentPeriods(report).map((p) => p.label)).toEqual(['2026-Q4', '2026-Q3']);
    expect(alignmentCurrencies(report.rows)).toEqual(['DKK']);
    expect(alignmentPeriods(null)).toEqual([]);
  });

  it('keeps one level in one period', () => {
    const teams = alignmentTable(report, 'team', Q4.start, 'en');
    expect(teams.map((t) => t.name)).toEqual(['Danmark Øst', 'Norge', 'Sverige Öst']);
    expect(teams[0]).toMatchObject({ meetings: 0.6, meetingsText: '60%', meetingsCount: '6/10', activities: 0.4, highFit: 0.3, highFitText: '30%' });
    expect(teams[1].pipeline).toEqual({ DKK: 0.1 });
    expect(teams[1].pipelineText.DKK).toBe('10%');
    expect(teams[2].meetingsText).toBe('–');
    expect(alignmentTable(report, 'rep', Q4.start, 'en').map((r) => r.id)).toEqual([11, 12]);
    expect(alignmentTable(report, 'team', Q3.start, 'en').map((r) => r.id)).toEqual([1]);
  });

  it('sorts either way with the rows without a value last', () => {
    const teams = alignmentTable(report, 'team', Q4.start, 'en');
    expect(sortAlignment(teams, 'meetings').map((t) => t.id)).toEqual([2, 1, 3]);
    expect(sortAlignment(teams, '-meetings').map((t) => t.id)).toEqual([1, 2, 3]);
    expect(sortAlignment(teams, 'pipeline:DKK').map((t) => t.id)).toEqual([2, 1, 3]);
    expect(sortAlignment(teams, '-name').map((t) => t.id)).toEqual([3, 2, 1]);
    const reps = alignmentTable(report, 'rep', Q4.start, 'en');
    expect(sortAlignment(reps, '-meetings').map((r) => r.name)).toEqual(['Anders Nielsen', 'Sofie Jensen']);
  });

  it('marks the lowest share, unless all are equal or only one row has a value', () => {
    const teams = alignmentTable(report, 'team', Q4.start, 'en');
    expect([...lowestIds(teams, 'meetings')]).toEqual([2]);
    expect([...lowestIds(teams, 'activities')]).toEqual([]);
    expect([...lowestIds(teams.slice(0, 1), 'meetings')]).toEqual([]);
    expect([...lowestIds(alignmentTable(report, 'rep', Q4.start, 'en'), 'meetings')]).toEqual([]);
  });

  it('takes the company rows for the trend', () => {
    expect(companyTrendRows(report).map((r) => r.period.label)).toEqual(['2026-Q3', '2026-Q4']);
  });
});
