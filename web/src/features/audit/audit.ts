// SPDX-License-Identifier: MIT
// The audit pages' logic as plain functions: the dashboard's state in the URL and the API queries
// it makes, shares and money per colour, the heat map (team or rep × area) and the colour bars,
// coaching rows, colour order, action order, score bars, default due dates and the run comparison.
import type { QueryParams } from '../../lib/api/query';
import type {
  ActionItem,
  AuditAction,
  AuditArea,
  AuditColour,
  AuditGroup,
  AuditItem,
  AuditRun,
  AuditSection,
  RunMove,
  SubjectType,
  Tally,
  ValueByColour,
} from './types';
import { AUDIT_COLOURS, SUBJECT_TYPES } from './types';

// --- the dashboard's state in the URL ------------------------------------------------------------

export interface AuditState {
  /** `YYYY-MM-DD`, or '' for today. */
  asOf: string;
  /** The section shown: opportunities or customers (accounts). */
  tab: SubjectType;
  /** The list's colour tab. */
  colour: AuditColour;
  /** An area id of the shown section's playbook, or '' for every area. */
  area: string;
  teamId: string;
  repId: string;
  offset: number;
}

export const ITEMS_PAGE = 25;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseAuditState(query: Record<string, string>): AuditState {
  const tab = (SUBJECT_TYPES as readonly string[]).includes(query.tab) ? (query.tab as SubjectType) : 'opportunity';
  const colour = (AUDIT_COLOURS as readonly string[]).includes(query.colour) ? (query.colour as AuditColour) : 'red';
  const offset = Math.max(0, Math.floor(Number(query.offset ?? 0)) || 0);
  return {
    asOf: ISO_DATE.test(query.as_of ?? '') ? query.as_of : '',
    tab,
    colour,
    area: /^[\w.-]+$/.test(query.area ?? '') ? query.area : '',
    teamId: /^\d+$/.test(query.team_id ?? '') ? query.team_id : '',
    repId: /^\d+$/.test(query.rep_id ?? '') ? query.rep_id : '',
    offset,
  };
}

/** The page's own query string: defaults are left out so a plain `/audit` is the usual view. */
export function auditStateQuery(s: AuditState): QueryParams {
  return {
    as_of: s.asOf,
    tab: s.tab === 'opportunity' ? '' : s.tab,
    colour: s.colour === 'red' ? '' : s.colour,
    area: s.area,
    team_id: s.teamId,
    rep_id: s.repId,
    offset: s.offset || '',
  };
}

/** `GET /audit`: the consolidated report for the scope and date. */
export function reportQuery(s: Pick<AuditState, 'asOf' | 'teamId' | 'repId'>, locale: string): QueryParams {
  return { as_of: s.asOf, team_id: s.teamId, rep_id: s.repId, locale };
}

/** `GET /audit/items`: one page of the list (red first, highest value first). */
export function itemsQuery(s: AuditState, locale: string, limit = ITEMS_PAGE): QueryParams {
  return {
    as_of: s.asOf,
    team_id: s.teamId,
    rep_id: s.repId,
    locale,
    subject_type: s.tab,
    colour: s.colour,
    area: s.area,
    limit,
    offset: s.offset,
  };
}

// --- shares and money ----------------------------------------------------------------------------

/** `part / whole` as a fraction, or null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export interface ColourFigure {
  colour: AuditColour;
  count: number;
  share: number | null;
}

/** Counts and shares per colour, red first. */
export function colourFigures(tally: Tally | null | undefined): ColourFigure[] {
  const items = tally?.items ?? 0;
  return AUDIT_COLOURS.map((colour) => ({ colour, count: tally?.[colour] ?? 0, share: share(tally?.[colour] ?? 0, items) }));
}

/** Whole-percent widths for a stacked bar that add up to 100 (largest remainder). */
export function stackedPercents(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return counts.map(() => 0);
  const raw = counts.map((c) => (c * 100) / total);
  const floor = raw.map(Math.floor);
  let left = 100 - floor.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floor[i] += 1;
    left -= 1;
  }
  return floor;
}

const digitsCache = new Map<string, number>();
/** Fraction digits of a currency (2 for DKK, SEK, NOK, EUR; 0 for JPY, ISK). */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  let d = digitsCache.get(code);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digitsCache.set(code, d);
  }
  return d;
}

export function minorToMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

export interface CurrencyValue {
  currency: string;
  green: number;
  yellow: number;
  red: number;
  total: number;
  /** Share of the currency's value held by red items. */
  redShare: number | null;
}

/** Value per currency and colour in major units (never added across currencies). */
export function valueByCurrency(value: ValueByColour | null | undefined): CurrencyValue[] {
  if (!value) return [];
  return Object.keys(value)
    .sort()
    .map((currency) => {
      const v = value[currency] ?? {};
      const green = minorToMajor(v.green ?? 0, currency);
      const yellow = minorToMajor(v.yellow ?? 0, currency);
      const red = minorToMajor(v.red ?? 0, currency);
      const total = green + yellow + red;
      return { currency, green, yellow, red, total, redShare: share(red, total) };
    })
    .filter((v) => v.total > 0);
}

// --- heat map ------------------------------------------------------------------------------------

export type HeatAxis = 'team' | 'rep';

/** Teams × areas; when the scope holds a single team (a manager, a rep), its reps instead. */
export function heatRowsFor(section: Pick<AuditSection, 'by_team' | 'by_rep'>): { axis: HeatAxis; groups: AuditGroup[] } {
  const teams = (section.by_team ?? []).filter((g) => g.tally.items > 0);
  const reps = (section.by_rep ?? []).filter((g) => g.tally.items > 0);
  if (teams.length > 1 || reps.length === 0) return { axis: 'team', groups: teams };
  return { axis: 'rep', groups: reps };
}

/** Colour-blind-safe diverging scale (ColorBrewer RdYlBu, ends darkened for contrast): 0 % red … 50 % pale yellow … 100 % blue. */
export const HEAT_STOPS: readonly [number, string][] = [
  [0, '#c62d1f'],
  [0.25, '#fc8d59'],
  [0.5, '#fee090'],
  [0.75, '#91bfdb'],
  [1, '#3a68a6'],
];

function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}
function rgbToHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** The cell colour for a fraction 0..1 (clamped), interpolated between the stops. */
export function heatColour(fraction: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  for (let i = 1; i < HEAT_STOPS.length; i++) {
    const [p1, c1] = HEAT_STOPS[i];
    if (f <= p1) {
      const [p0, c0] = HEAT_STOPS[i - 1];
      const t = (f - p0) / (p1 - p0);
      const a = hexToRgb(c0);
      const b = hexToRgb(c1);
      return rgbToHex([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]);
    }
  }
  return HEAT_STOPS[HEAT_STOPS.length - 1][1];
}

function luminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white text, whichever reads better on the background (black keeps every cell ≥ 4.5:1). */
export function textColourOn(background: string): string {
  const dark = '#000000';
  return contrastRatio(background, dark) >= contrastRatio(background, '#ffffff') ? dark : '#ffffff';
}

export interface HeatCell {
  /** Column (area) index. */
  x: number;
  /** Row (team or rep) index. */
  y: number;
  /** Whole percent meeting the minimum, or null when the row has no items. */
  value: number | null;
  colour: string;
  text: string;
}

export interface HeatMapData {
  axis: HeatAxis;
  rows: { key: string; label: string; items: number; weakest: string | null }[];
  columns: AuditArea[];
  cells: HeatCell[];
}

export function heatMapData(section: Pick<AuditSection, 'by_team' | 'by_rep' | 'areas'>): HeatMapData {
  const { axis, groups } = heatRowsFor(section);
  const columns = section.areas ?? [];
  const cells: HeatCell[] = [];
  groups.forEach((g, y) => {
    columns.forEach((_, x) => {
      const m = g.meets_minimum?.[x];
      const value = g.tally.items > 0 && typeof m === 'number' && Number.isFinite(m) ? Math.round(m * 100) : null;
      const colour = value === null ? '#eceef1' : heatColour(value / 100);
      cells.push({ x, y, value, colour, text: textColourOn(colour) });
    });
  });
  return {
    axis,
    rows: groups.map((g) => ({ key: g.key, label: g.label, items: g.tally.items, weakest: g.weakest_area_name ?? null })),
    columns,
    cells,
  };
}

// --- colour distribution per team ----------------------------------------------------------------

export interface ColourDistribution {
  labels: string[];
  counts: Record<AuditColour, number[]>;
  /** Whole percents per row, adding up to 100 for each row with items. */
  percents: Record<AuditColour, number[]>;
}

export function colourDistribution(groups: AuditGroup[]): ColourDistribution {
  const counts: Record<AuditColour, number[]> = { red: [], yellow: [], green: [] };
  const percents: Record<AuditColour, number[]> = { red: [], yellow: [], green: [] };
  for (const g of groups) {
    const row = AUDIT_COLOURS.map((c) => g.tally[c] ?? 0);
    const pct = stackedPercents(row);
    AUDIT_COLOURS.forEach((c, i) => {
      counts[c].push(row[i]);
      percents[c].push(pct[i]);
    });
  }
  return { labels: groups.map((g) => g.label), counts, percents };
}

// --- coaching input: the weakest area per rep ----------------------------------------------------

export interface CoachingRow {
  key: string;
  label: string;
  items: number;
  red: number;
  redShare: number | null;
  weakestArea: string | null;
  weakestName: string | null;
  /** Share of the rep's items meeting the minimum in the weakest area. */
  weakestMeets: number | null;
  weakestGap: number | null;
}

/** One row per rep with items, the largest share of red first. */
export function coachingRows(reps: AuditGroup[], areas: AuditArea[]): CoachingRow[] {
  return reps
    .filter((r) => r.tally.items > 0)
    .map((r) => {
      const i = r.weakest_area ? areas.findIndex((a) => a.id === r.weakest_area) : -1;
      return {
        key: r.key,
        label: r.label,
        items: r.tally.items,
        red: r.tally.red,
        redShare: share(r.tally.red, r.tally.items),
        weakestArea: r.weakest_area,
        weakestName: r.weakest_area_name ?? (i >= 0 ? areas[i].name : null),
        weakestMeets: i >= 0 ? (r.meets_minimum?.[i] ?? null) : null,
        weakestGap: i >= 0 ? (r.mean_gap?.[i] ?? null) : null,
      };
    })
    .sort((a, b) => (b.redShare ?? 0) - (a.redShare ?? 0) || a.label.localeCompare(b.label));
}

// --- order ---------------------------------------------------------------------------------------

export const COLOUR_RANK: Record<AuditColour, number> = { red: 0, yellow: 1, green: 2 };

/** Red first, then yellow, then green; within a colour the highest value first, then by name. */
export function sortByColour<T extends Pick<AuditItem, 'colour' | 'name'> & { value?: AuditItem['value'] }>(items: T[]): T[] {
  const major = (i: T) => (i.value ? minorToMajor(i.value.minor, i.value.currency) : 0);
  return [...items].sort(
    (a, b) => COLOUR_RANK[a.colour] - COLOUR_RANK[b.colour] || major(b) - major(a) || a.name.localeCompare(b.name),
  );
}

/** Open actions first, soonest due first; done ones after, gap still open before gap closed. */
export function sortActions<T extends Pick<ActionItem, 'done' | 'due' | 'gap_closed'>>(actions: T[]): T[] {
  return [...actions].sort(
    (a, b) =>
      Number(a.done) - Number(b.done) ||
      Number(a.gap_closed) - Number(b.gap_closed) ||
      (a.due ?? '9999').localeCompare(b.due ?? '9999'),
  );
}

export type ActionState = 'open' | 'overdue' | 'done' | 'closed';

/** An action's state: gap closed (whatever the task), done, overdue or open. */
export function actionState(a: Pick<AuditAction, 'done' | 'due' | 'gap_closed'>, today: string): ActionState {
  if (a.gap_closed) return 'closed';
  if (a.done) return 'done';
  if (a.due && a.due < today) return 'overdue';
  return 'open';
}

// --- the scorecard -------------------------------------------------------------------------------

/** Widths (percent of the bar) of the score and the minimum marker for an area scored 0..max. */
export function scoreBar(score: number, minimum: number, max: number): { score: number; minimum: number; meets: boolean } {
  const m = max > 0 ? max : 4;
  const clamp = (v: number) => Math.min(100, Math.max(0, (v / m) * 100));
  return { score: clamp(score), minimum: clamp(minimum), meets: score >= minimum };
}

/** The list's reason cell: the first reason and how many more there are. */
export function firstReason(item: Pick<AuditItem, 'reasons'>): { text: string; more: number } {
  const reasons = item.reasons ?? [];
  return { text: reasons[0] ?? '', more: Math.max(0, reasons.length - 1) };
}

/** The criterion a reason is about (findings are in the same order as reasons), if any. */
export function reasonCriterion(item: Pick<AuditItem, 'findings'>, index: number): string | null {
  return item.findings?.[index]?.criterion ?? null;
}

export function scorecardPath(type: SubjectType, id: number, asOf = ''): string {
  return `/audit/${type}/${id}${asOf ? `?as_of=${asOf}` : ''}`;
}

/** The record's own page (the opportunity or the account). */
export function subjectPath(type: SubjectType, id: number): string {
  return type === 'account' ? `/accounts/${id}` : `/opportunities/${id}`;
}

export function isSubjectType(value: string): value is SubjectType {
  return (SUBJECT_TYPES as readonly string[]).includes(value);
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10);
}

export interface ActionForm {
  ownerId: string;
  due: string;
  note: string;
}

/** The body of `POST /audit/actions`. */
export function actionBody(
  item: Pick<AuditItem, 'subject_type' | 'id'>,
  criterionId: string | null,
  form: ActionForm,
): Record<string, unknown> {
  const body: Record<string, unknown> = { subject_type: item.subject_type, subject_id: item.id, due: form.due, note: form.note.trim() };
  if (criterionId) body.criterion_id = criterionId;
  if (/^\d+$/.test(form.ownerId)) body.owner_id = Number(form.ownerId);
  return body;
}

// --- saved runs ----------------------------------------------------------------------------------

export const MOVE_FROM = ['green', 'yellow', 'red', 'new'] as const;
export const MOVE_TO = ['green', 'yellow', 'red', 'gone'] as const;

export interface MovesMatrix {
  from: readonly string[];
  to: readonly string[];
  /** counts[i][j]: items that were `from[i]` and are `to[j]`. */
  counts: number[][];
  rowTotals: number[];
  colTotals: number[];
}

export function movesMatrix(moves: RunMove[]): MovesMatrix {
  const from = [...MOVE_FROM] as string[];
  const to = [...MOVE_TO] as string[];
  for (const m of moves) {
    if (!from.includes(m.from)) from.push(m.from);
    if (!to.includes(m.to)) to.push(m.to);
  }
  const counts = from.map(() => to.map(() => 0));
  for (const m of moves) counts[from.indexOf(m.from)][to.indexOf(m.to)] += m.count;
  return {
    from,
    to,
    counts,
    rowTotals: counts.map((r) => r.reduce((a, b) => a + b, 0)),
    colTotals: to.map((_, j) => counts.reduce((a, r) => a + r[j], 0)),
  };
}

/** The pair to compare by default: the newest run against the one before it (older → newer). */
export function defaultComparison(runs: AuditRun[]): [number, number] | null {
  if (runs.length < 2) return null;
  const sorted = [...runs].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  return orderRuns(sorted[1], sorted[0]);
}

/** Two runs as [from, to]: the earlier audit date first (the earlier saved one on a tie). */
export function orderRuns(a: AuditRun, b: AuditRun): [number, number] {
  if (a.as_of !== b.as_of) return a.as_of < b.as_of ? [a.id, b.id] : [b.id, a.id];
  return a.id < b.id ? [a.id, b.id] : [b.id, a.id];
}

// --- scope ---------------------------------------------------------------------------------------

export interface AuditScope {
  kind: 'company' | 'team' | 'rep' | 'other';
  /** The team's name or the rep's e-mail. */
  value: string;
}

/** The report's `scope`: `company`, `team:NAME` or `rep:EMAIL`. */
export function parseScope(scope: string | null | undefined): AuditScope {
  const s = scope ?? '';
  if (s === 'company' || s === '') return { kind: 'company', value: '' };
  const colon = s.indexOf(':');
  const head = colon < 0 ? '' : s.slice(0, colon);
  if (head === 'team' || head === 'rep') return { kind: head, value: s.slice(colon + 1) };
  return { kind: 'other', value: s };
}
