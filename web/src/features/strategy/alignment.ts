// SPDX-License-Identifier: MIT
// Pure logic of the Alignment page: GET /api/v1/strategy's `alignment` rows (company, team and rep
// per period) shaped into sortable tables for one period, the lowest core shares marked, and the
// company's trend over the periods. Pipeline shares stay per currency.
import type { Locale } from '../../lib/api/types';
import { formatNumber, formatPercent } from '../../lib/format';
import { amountOf } from './cascade';
import type { AlignmentReport, AlignmentRow, CascadeAlignment, Period } from './types';

/** The periods in the report, newest first. */
export function alignmentPeriods(report: Pick<AlignmentReport, 'rows'> | null | undefined): Period[] {
  const seen = new Map<string, Period>();
  for (const r of report?.rows ?? []) if (r.period && !seen.has(r.period.start)) seen.set(r.period.start, r.period);
  return [...seen.values()].sort((a, b) => b.start.localeCompare(a.start));
}

/** The currencies with pipeline in any row, sorted by code. */
export function alignmentCurrencies(rows: AlignmentRow[]): string[] {
  return [...new Set(rows.flatMap((r) => (r.pipeline ?? []).map((p) => p.currency)))].sort();
}

export interface AlignmentTableRow {
  id: number;
  name: string;
  meetings: number | null;
  meetingsText: string;
  meetingsCount: string;
  activities: number | null;
  activitiesText: string;
  activitiesCount: string;
  highFit: number | null;
  highFitText: string;
  /** core share of the open pipeline per currency */
  pipeline: Record<string, number | null>;
  pipelineText: Record<string, string>;
  pipelineTitle: Record<string, string>;
}

export function alignmentTableRow(r: AlignmentRow, locale: Locale): AlignmentTableRow {
  const pipeline: Record<string, number | null> = {};
  const pipelineText: Record<string, string> = {};
  const pipelineTitle: Record<string, string> = {};
  for (const p of r.pipeline ?? []) {
    pipeline[p.currency] = p.core_share ?? null;
    pipelineText[p.currency] = formatPercent(p.core_share, locale);
    const core = amountOf(p.core);
    const total = amountOf(p.total);
    pipelineTitle[p.currency] = `${formatNumber(core, locale)} / ${formatNumber(total, locale)} ${p.currency}`;
  }
  return {
    id: r.id,
    name: r.name,
    meetings: r.meetings?.core_share ?? null,
    meetingsText: formatPercent(r.meetings?.core_share, locale),
    meetingsCount: `${formatNumber(r.meetings?.core ?? 0, locale)}/${formatNumber(r.meetings?.total ?? 0, locale)}`,
    activities: r.activities?.core_share ?? null,
    activitiesText: formatPercent(r.activities?.core_share, locale),
    activitiesCount: `${formatNumber(r.activities?.core ?? 0, locale)}/${formatNumber(r.activities?.total ?? 0, locale)}`,
    highFit: r.activities?.high_fit_share ?? null,
    highFitText: formatPercent(r.activities?.high_fit_share, locale),
    pipeline,
    pipelineText,
    pipelineTitle,
  };
}

/** The rows of one level ('team' or 'rep') in one period (by its start date). */
export function alignmentTable(
  report: Pick<AlignmentReport, 'rows'> | null | undefined,
  level: 'team' | 'rep',
  periodStart: string,
  locale: Locale,
): AlignmentTableRow[] {
  return (report?.rows ?? [])
    .filter((r) => r.level === level && r.period?.start === periodStart)
    .map((r) => alignmentTableRow(r, locale));
}

/** Sort keys: `name`, `meetings`, `activities`, `high_fit`, `pipeline:DKK`; `-` for descending. */
export type AlignmentSort = string;

export function sortValue(row: AlignmentTableRow, key: string): number | string | null {
  if (key === 'name') return row.name;
  if (key === 'meetings') return row.meetings;
  if (key === 'activities') return row.activities;
  if (key === 'high_fit') return row.highFit;
  if (key.startsWith('pipeline:')) return row.pipeline[key.slice('pipeline:'.length)] ?? null;
  return null;
}

/** Sorted by `sort`; rows without a value (no meetings, no pipeline) always last; ties by name. */
export function sortAlignment(rows: AlignmentTableRow[], sort: AlignmentSort): AlignmentTableRow[] {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null && y === null) return a.name.localeCompare(b.name);
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (desc ? -c : c) || a.name.localeCompare(b.name);
  });
}

/**
 * The ids of the rows with the lowest value of a share column (ties: all of them). Nothing is
 * marked when fewer than two rows have a value or when every row has the same one.
 */
export function lowestIds(rows: AlignmentTableRow[], key: string): Set<number> {
  const values = rows.map((r) => ({ id: r.id, v: sortValue(r, key) })).filter((x): x is { id: number; v: number } => typeof x.v === 'number');
  if (values.length < 2) return new Set();
  const min = Math.min(...values.map((x) => x.v));
  const max = Math.max(...values.map((x) => x.v));
  if (min === max) return new Set();
  return new Set(values.filter((x) => x.v === min).map((x) => x.id));
}

/** The company rows as the cascade's alignment (for the shared trend chart and table). */
export function companyTrendRows(report: Pick<AlignmentReport, 'rows'> | null | undefined): CascadeAlignment[] {
  return (report?.rows ?? [])
    .filter((r) => r.level === 'company')
    .map((r) => ({ period: r.period, meetings: r.meetings, activities: r.activities, pipeline: r.pipeline ?? [] }));
}
