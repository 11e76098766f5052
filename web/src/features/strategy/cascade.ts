// SPDX-License-Identifier: MIT
// Pure logic of the Strategy page (the strategy cascade): objectives with their progress and
// status, the objective form and its body, value propositions' one-item-per-line lists, and the
// company's alignment over the last quarters. Money stays per currency: amounts are never added.
import type { Locale } from '../../lib/api/types';
import { formatMoney, formatNumber, formatPercent, intlLocale } from '../../lib/format';
import { parseAmount } from '../opportunities/opportunity';
import {
  OBJECTIVE_METRICS,
  type CascadeAlignment,
  type CascadeObjective,
  type CascadeSegment,
  type CascadeValueProposition,
  type MoneyOrAmount,
  type Objective,
  type ObjectiveMetric,
  type ObjectiveStatus,
  type ObjectiveUnit,
  type ValuePropositionRecord,
} from './types';

// --- metrics and units ---------------------------------------------------------------------------

/** The unit of each metric's target (docs/api.md, objective metrics). */
export const METRIC_UNIT: Record<ObjectiveMetric, ObjectiveUnit> = {
  won_amount: 'money',
  gross_margin: 'money',
  margin_pct: 'percent',
  win_rate: 'percent',
  new_customers: 'count',
  meetings: 'count',
  core_meeting_share: 'percent',
  core_activity_share: 'percent',
};

export function isMetric(value: unknown): value is ObjectiveMetric {
  return typeof value === 'string' && (OBJECTIVE_METRICS as readonly string[]).includes(value);
}

export function metricUnit(metric: string): ObjectiveUnit {
  return isMetric(metric) ? METRIC_UNIT[metric] : 'count';
}

/** Metrics measured in one currency: the money ones and the margin percentage. */
export function metricNeedsCurrency(metric: string): boolean {
  return metric === 'won_amount' || metric === 'gross_margin' || metric === 'margin_pct';
}

/** Percent 0–100 with at most one decimal: `37.45` → "37.5 %" (en: "37.5%"). */
export function formatPercentPoints(value: number | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(intlLocale(locale), { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
}

/** A target or an actual in its unit: money with its currency, percent 0–100, or a count. */
export function formatMetricValue(value: number | null | undefined, unit: string, currency: string | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'money') return formatMoney(value, currency, locale, 'never');
  if (unit === 'percent') return formatPercentPoints(value, locale);
  return formatNumber(value, locale, 1);
}

// --- objectives ----------------------------------------------------------------------------------

export const OBJECTIVE_STATUSES: readonly ObjectiveStatus[] = ['not_started', 'on_track', 'behind', 'achieved', 'missed'];

/** The pill colour of a status; the status is always written out too, never colour alone. */
export function statusTone(status: string): 'grey' | 'blue' | 'yellow' | 'green' | 'red' {
  switch (status) {
    case 'on_track':
      return 'blue';
    case 'behind':
      return 'yellow';
    case 'achieved':
      return 'green';
    case 'missed':
      return 'red';
    default:
      return 'grey';
  }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export interface ObjectiveView {
  id: number;
  version: number;
  name: string;
  metric: string;
  unit: string;
  currency: string | null;
  target: string;
  actual: string;
  /** progress as a share, for the bar (0–1, clamped); null when there is none */
  bar: number | null;
  /** progress as text ("64 %"), '–' when there is none */
  progress: string;
  /** the share of the period passed (0–1) */
  elapsed: number;
  elapsedText: string;
  cumulative: boolean;
  status: string;
  tone: ReturnType<typeof statusTone>;
  periodStart: string;
  periodEnd: string;
}

export function objectiveView(o: CascadeObjective, locale: Locale): ObjectiveView {
  const unit = o.unit || metricUnit(o.metric);
  const progress = o.progress === null || o.progress === undefined || !Number.isFinite(o.progress) ? null : o.progress;
  const elapsed = clamp01(Number.isFinite(o.elapsed) ? o.elapsed : 0);
  return {
    id: o.id,
    version: o.version,
    name: o.name,
    metric: o.metric,
    unit,
    currency: o.currency ?? null,
    target: formatMetricValue(o.target, unit, o.currency, locale),
    actual: formatMetricValue(o.actual, unit, o.currency, locale),
    bar: progress === null ? null : clamp01(progress),
    progress: formatPercent(progress, locale),
    elapsed,
    elapsedText: formatPercent(elapsed, locale),
    cumulative: !!o.cumulative,
    status: o.status,
    tone: statusTone(o.status),
    periodStart: o.period_start,
    periodEnd: o.period_end,
  };
}

/** The objectives as the API orders them: by period end, then name. */
export function objectiveViews(objectives: CascadeObjective[] | null | undefined, locale: Locale): ObjectiveView[] {
  return [...(objectives ?? [])]
    .sort((a, b) => a.period_end.localeCompare(b.period_end) || a.name.localeCompare(b.name))
    .map((o) => objectiveView(o, locale));
}

/** How many objectives have each status, in the statuses' order, leaving out the absent ones. */
export function statusCounts(objectives: { status: string }[]): { status: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const o of objectives) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const known = OBJECTIVE_STATUSES.filter((s) => counts.has(s)).map((s) => ({ status: s as string, count: counts.get(s)! }));
  const other = [...counts].filter(([s]) => !(OBJECTIVE_STATUSES as readonly string[]).includes(s)).map(([status, count]) => ({ status, count }));
  return [...known, ...other];
}

// --- the objective form --------------------------------------------------------------------------

export interface ObjectiveForm {
  name: string;
  metric: ObjectiveMetric;
  currency: string;
  target: string;
  period_start: string;
  period_end: string;
}

/** The quarter around `today` (`YYYY-MM-DD`): the default period of a new objective. */
export function quarterOf(today: string): { start: string; end: string } {
  const [y, m] = today.split('-').map(Number);
  const first = Math.floor((m - 1) / 3) * 3 + 1;
  const last = new Date(Date.UTC(y, first + 2, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { start: `${y}-${pad(first)}-01`, end: `${y}-${pad(first + 2)}-${pad(last)}` };
}

export function emptyObjectiveForm(today: string, currency = ''): ObjectiveForm {
  const q = quarterOf(today);
  return { name: '', metric: 'won_amount', currency, target: '', period_start: q.start, period_end: q.end };
}

export function objectiveToForm(o: Objective): ObjectiveForm {
  return {
    name: o.name,
    metric: isMetric(o.metric) ? o.metric : 'won_amount',
    currency: o.currency ?? '',
    target: o.target === null || o.target === undefined ? '' : String(o.target),
    period_start: o.period_start ?? '',
    period_end: o.period_end ?? '',
  };
}

/** The target as a number: "1.000.000" and "1 000 000,5" are read as the user means them; "37 %" too. */
export function parseTarget(text: string): number | null {
  return parseAmount(text.replace(/%/g, ''));
}

export type FormErrors = Partial<Record<keyof ObjectiveForm, 'required' | 'number'>>;

/**
 * What the browser checks before sending: something to send in each field. The rules (a negative
 * target, an end before the start, a currency on the wrong metric) are the server's, shown as its
 * 422 at the field.
 */
export function validateObjective(form: ObjectiveForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) errors.name = 'required';
  const target = parseTarget(form.target);
  if (target === null) errors.target = 'required';
  else if (!Number.isFinite(target)) errors.target = 'number';
  if (metricNeedsCurrency(form.metric) && !form.currency.trim()) errors.currency = 'required';
  if (!form.period_start) errors.period_start = 'required';
  if (!form.period_end) errors.period_end = 'required';
  return errors;
}

/** The POST body of a new objective, or the PATCH body (with `version`) of a changed one. */
export function objectiveBody(form: ObjectiveForm, version?: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: form.name.trim(),
    metric: form.metric,
    target: parseTarget(form.target),
    currency: metricNeedsCurrency(form.metric) ? form.currency.trim().toUpperCase() || null : null,
    period_start: form.period_start,
    period_end: form.period_end,
  };
  if (version !== undefined) body.version = version;
  return body;
}

// --- value propositions --------------------------------------------------------------------------

/** "a\nb\n\n c " → ["a", "b", "c"]; a list (the cascade sends lists) is trimmed the same way. */
export function splitLines(value: string | string[] | null | undefined): string[] {
  const lines = Array.isArray(value) ? value : (value ?? '').split(/\r?\n/);
  return lines.map((l) => String(l).trim()).filter((l) => l.length > 0);
}

export function joinLines(value: string | string[] | null | undefined): string {
  return splitLines(value).join('\n');
}

export interface ValuePropositionView {
  statement: string;
  keyIssues: string[];
  discoveryQuestions: string[];
  proofPoints: string[];
}

export function valuePropositionView(v: CascadeValueProposition | ValuePropositionRecord | null | undefined): ValuePropositionView | null {
  if (!v) return null;
  return {
    statement: (v.statement ?? '').trim(),
    keyIssues: splitLines(v.key_issues),
    discoveryQuestions: splitLines(v.discovery_questions),
    proofPoints: splitLines(v.proof_points),
  };
}

/** True when a value proposition says nothing at all. */
export function isEmptyProposition(v: ValuePropositionView | null): boolean {
  return !v || (!v.statement && !v.keyIssues.length && !v.discoveryQuestions.length && !v.proofPoints.length);
}

export interface ValuePropositionForm {
  statement: string;
  key_issues: string;
  discovery_questions: string;
  proof_points: string;
}

export function valuePropositionToForm(v: CascadeValueProposition | ValuePropositionRecord | null | undefined): ValuePropositionForm {
  return {
    statement: (v?.statement ?? '').trim(),
    key_issues: joinLines(v?.key_issues),
    discovery_questions: joinLines(v?.discovery_questions),
    proof_points: joinLines(v?.proof_points),
  };
}

/** The record body: the lists one item per line, blank lines and stray spaces dropped. */
export function valuePropositionBody(form: ValuePropositionForm, target: { segmentId: number } | { version: number }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    statement: form.statement.trim(),
    key_issues: joinLines(form.key_issues),
    discovery_questions: joinLines(form.discovery_questions),
    proof_points: joinLines(form.proof_points),
  };
  if ('segmentId' in target) body.segment_id = target.segmentId;
  else body.version = target.version;
  return body;
}

// --- segments ------------------------------------------------------------------------------------

/** Core segments (API order: by name) and the others, which the page shows collapsed. */
export function splitSegments(segments: CascadeSegment[] | null | undefined): { core: CascadeSegment[]; other: CascadeSegment[] } {
  const all = segments ?? [];
  return { core: all.filter((s) => s.core), other: all.filter((s) => !s.core) };
}

// --- the company's alignment ---------------------------------------------------------------------

/** A money field as /strategy (an object) or the cascade (a number) sends it → the amount. */
export function amountOf(value: MoneyOrAmount | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  return typeof value.amount === 'number' ? value.amount : null;
}

export interface TrendSeries {
  key: string;
  /** 'meetings' | 'activities' | 'pipeline' */
  kind: string;
  currency?: string;
  values: (number | null)[];
}

export interface TrendRowView {
  label: string;
  start: string;
  end: string;
  meetings: string;
  meetingsCount: string;
  activities: string;
  activitiesCount: string;
  pipeline: { currency: string; share: string; core: string; total: string }[];
}

/** The company trend: periods oldest first, and one series per measure (pipeline per currency). */
export function alignmentTrend(
  rows: CascadeAlignment[] | null | undefined,
  locale: Locale,
): { labels: string[]; series: TrendSeries[]; rows: TrendRowView[] } {
  const sorted = [...(rows ?? [])].sort((a, b) => a.period.start.localeCompare(b.period.start));
  const currencies = [...new Set(sorted.flatMap((r) => (r.pipeline ?? []).map((p) => p.currency)))].sort();
  const series: TrendSeries[] = [
    { key: 'meetings', kind: 'meetings', values: sorted.map((r) => r.meetings?.core_share ?? null) },
    { key: 'activities', kind: 'activities', values: sorted.map((r) => r.activities?.core_share ?? null) },
    ...currencies.map((c) => ({
      key: `pipeline:${c}`,
      kind: 'pipeline',
      currency: c,
      values: sorted.map((r) => r.pipeline?.find((p) => p.currency === c)?.core_share ?? null),
    })),
  ];
  return {
    labels: sorted.map((r) => r.period.label),
    series,
    rows: sorted.map((r) => ({
      label: r.period.label,
      start: r.period.start,
      end: r.period.end,
      meetings: formatPercent(r.meetings?.core_share, locale),
      meetingsCount: `${formatNumber(r.meetings?.core ?? 0, locale)}/${formatNumber(r.meetings?.total ?? 0, locale)}`,
      activities: formatPercent(r.activities?.core_share, locale),
      activitiesCount: `${formatNumber(r.activities?.core ?? 0, locale)}/${formatNumber(r.activities?.total ?? 0, locale)}`,
      pipeline: [...(r.pipeline ?? [])]
        .sort((a, b) => a.currency.localeCompare(b.currency))
        .map((p) => ({
          currency: p.currency,
          share: formatPercent(p.core_share, locale),
          core: formatMoney(amountOf(p.core), p.currency, locale, 'never'),
          total: formatMoney(amountOf(p.total), p.currency, locale, 'never'),
        })),
    })),
  };
}
