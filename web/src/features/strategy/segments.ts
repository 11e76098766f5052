// SPDX-License-Identifier: MIT
// Pure logic of the Segments page: the segment table's rows, the segment map's points and the
// ideal customer profile's lift bars. Money stays per currency: amounts are never added.
import type { Locale } from '../../lib/api/types';
import { formatMoney, formatNumber, formatPercent } from '../../lib/format';
import type { IcpLift, SegmentRow, StrategyReport } from './types';

export interface SegmentCurrencyView {
  currency: string;
  customers: number;
  marginPct: string;
  marginPerCustomer: string;
}

export interface SegmentView {
  id: number;
  name: string;
  core: boolean;
  suggested: boolean;
  reason: string;
  winRate: string;
  cycleDays: string;
  customers: string;
  index: string;
  currencies: SegmentCurrencyView[];
}

/** A segment as the table shows it: each currency on its own line, sorted by code. */
export function segmentRow(s: SegmentRow, locale: Locale): SegmentView {
  return {
    id: s.segment_id,
    name: s.name,
    core: !!s.core,
    suggested: !!s.suggested_core,
    reason: s.reason ?? '',
    winRate: formatPercent(s.win_rate, locale),
    cycleDays: formatNumber(s.median_cycle_days, locale),
    customers: formatNumber(s.customers, locale),
    index: s.margin_per_customer_index == null ? '–' : `${formatNumber(s.margin_per_customer_index, locale, 2)}×`,
    currencies: [...(s.currencies ?? [])]
      .sort((x, y) => x.currency.localeCompare(y.currency))
      .map((c) => ({
        currency: c.currency,
        customers: c.customers ?? 0,
        marginPct: formatPercent(c.margin_pct, locale),
        marginPerCustomer: formatMoney(c.margin_per_customer?.amount, c.margin_per_customer?.currency ?? c.currency, locale, 'never'),
      })),
  };
}

/** The segments: core first, then by margin per customer (index), highest first. */
export function segmentRows(report: Pick<StrategyReport, 'segment_table'> | null | undefined, locale: Locale): SegmentView[] {
  const segs = [...(report?.segment_table?.segments ?? [])];
  segs.sort(
    (a, b) =>
      Number(b.core) - Number(a.core) ||
      (b.margin_per_customer_index ?? -Infinity) - (a.margin_per_customer_index ?? -Infinity) ||
      a.name.localeCompare(b.name),
  );
  return segs.map((s) => segmentRow(s, locale));
}

export interface ScatterPoint {
  id: number;
  name: string;
  core: boolean;
  suggested: boolean;
  /** win rate, 0–1 */
  x: number;
  /** value index when the API has one, else margin per customer against the company's (1 = company) */
  y: number;
}

/** One point per segment with a win rate and an index; `basis` says which index the y axis is. */
export function scatterPoints(report: Pick<StrategyReport, 'segment_table'> | null | undefined): {
  basis: 'value' | 'margin';
  points: ScatterPoint[];
} {
  const segs = report?.segment_table?.segments ?? [];
  const basis = segs.length > 0 && segs.every((s) => s.value_index != null) ? 'value' : 'margin';
  const points: ScatterPoint[] = [];
  for (const s of segs) {
    const y = basis === 'value' ? s.value_index : s.margin_per_customer_index;
    if (s.win_rate == null || y == null || !Number.isFinite(s.win_rate) || !Number.isFinite(y)) continue;
    points.push({ id: s.segment_id, name: s.name, core: !!s.core, suggested: !!s.suggested_core, x: s.win_rate, y });
  }
  return { basis, points };
}

/** The ICP's attributes in the page's order; the API's keys. */
export const ICP_ATTRIBUTES = ['industry', 'size_band', 'region', 'country', 'lead_source'] as const;
export type IcpAttribute = (typeof ICP_ATTRIBUTES)[number];

export interface LiftBar {
  value: string;
  label: string;
  lift: number;
  liftText: string;
  customers: number;
  topCustomers: number;
  above: boolean;
}

/** One attribute's values as bars: the highest lift first (ties: more customers first, then by name). */
export function liftBars(lifts: IcpLift[] | null | undefined, locale: Locale): LiftBar[] {
  return [...(lifts ?? [])]
    .filter((l) => Number.isFinite(l.lift))
    .sort((a, b) => b.lift - a.lift || b.customers - a.customers || a.value.localeCompare(b.value))
    .map((l) => ({
      value: l.value,
      label: l.value,
      lift: l.lift,
      liftText: `×${formatNumber(l.lift, locale, 2)}`,
      customers: l.customers ?? 0,
      topCustomers: l.top_customers ?? 0,
      above: l.lift > 1,
    }));
}

/** The ICP's attributes that have values, each with its bars. */
export function icpGroups(report: Pick<StrategyReport, 'icp'> | null | undefined, locale: Locale): { attribute: IcpAttribute; bars: LiftBar[] }[] {
  const attrs = report?.icp?.attributes ?? {};
  return ICP_ATTRIBUTES.map((attribute) => ({ attribute, bars: liftBars(attrs[attribute], locale) })).filter((g) => g.bars.length > 0);
}

/** The x axis maximum of the lift bars: at least 2, so the ×1.0 line sits inside. */
export function liftAxisMax(bars: LiftBar[]): number {
  const max = bars.reduce((m, b) => Math.max(m, b.lift), 0);
  return Math.max(2, Math.ceil(max * 2) / 2);
}
