// SPDX-License-Identifier: MIT
// Pure logic of the Forecast page: periods and the URL state, the API query, the key figures and
// the commit-vs-model bullet per currency, the fan series, the roll-up table, deal rows with the
// model's factors in words, the optimism whiskers, the reliability series and what moved.
import type { Locale } from '../../lib/api/types';
import { formatMoney, formatNumber, formatPercent, intlLocale } from '../../lib/format';
import type {
  BacktestMetrics,
  Factor,
  FanPoint,
  ForecastDeal,
  GroupRollup,
  Money,
  Move,
  MoveSummary,
  OptimismRow,
  Rollup,
  Snapshot,
} from './types';

export const DEAL_PAGE_SIZE = 25;

// --- periods -----------------------------------------------------------------------------------

export interface Period {
  key: string; // 2026-Q4 or 2026-11
  kind: 'quarter' | 'month';
  start: string; // YYYY-MM-DD
  end: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based

/** `2026-Q4` or `2026-11` → the period with its first and last day; null when malformed. */
export function parsePeriod(key: string | null | undefined): Period | null {
  if (!key) return null;
  let m = /^(\d{4})-Q([1-4])$/i.exec(key);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const first = (q - 1) * 3 + 1;
    return { key: `${y}-Q${q}`, kind: 'quarter', start: iso(y, first, 1), end: iso(y, first + 2, lastDay(y, first + 2)) };
  }
  m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    return { key: `${y}-${pad2(mo)}`, kind: 'month', start: iso(y, mo, 1), end: iso(y, mo, lastDay(y, mo)) };
  }
  return null;
}

/** The quarter a date (`YYYY-MM-DD`) is in, as `2026-Q4`. */
export function quarterOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  return `${y}-Q${Math.floor((mo - 1) / 3) + 1}`;
}

/** The key of a period given by its first and last day (what the API answers), or ''. */
export function periodKeyFromRange(start: string | null | undefined, end: string | null | undefined): string {
  if (!start || !end) return '';
  const q = parsePeriod(quarterOf(start));
  if (q && q.start === start && q.end === end) return q.key;
  const mKey = start.slice(0, 7);
  const mo = parsePeriod(mKey);
  if (mo && mo.start === start && mo.end === end) return mo.key;
  return '';
}

/** Quarters (four back, two ahead) and months (three back, three ahead) around `date`. */
export function periodChoices(date: string): { quarters: Period[]; months: Period[] } {
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  const q = Math.floor((mo - 1) / 3);
  const quarters: Period[] = [];
  for (let i = -4; i <= 2; i++) {
    const n = y * 4 + q + i;
    quarters.push(parsePeriod(`${Math.floor(n / 4)}-Q${(n % 4) + 1}`)!);
  }
  const months: Period[] = [];
  for (let i = -3; i <= 3; i++) {
    const n = y * 12 + (mo - 1) + i;
    months.push(parsePeriod(`${Math.floor(n / 12)}-${pad2((n % 12) + 1)}`)!);
  }
  return { quarters, months };
}

/** "Q4 2026" / "November 2026" in the user's language. */
export function periodName(key: string, locale: Locale): string {
  const p = parsePeriod(key);
  if (!p) return key;
  if (p.kind === 'quarter') return `${key.slice(5)} ${key.slice(0, 4)}`;
  const d = new Date(`${p.start}T00:00:00Z`);
  const text = new Intl.DateTimeFormat(intlLocale(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// --- URL state and the API query ------------------------------------------------------------------

export interface ForecastState {
  period: string; // '' = the quarter of as_of (the server's default)
  asOf: string; // '' = today
  teamId: string;
  repId: string;
  offset: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseForecastState(query: Record<string, string | undefined>): ForecastState {
  const period = parsePeriod(query.period)?.key ?? '';
  const asOf = ISO_DATE.test(query.as_of ?? '') ? (query.as_of as string) : '';
  const id = (v: string | undefined) => (/^\d+$/.test(v ?? '') ? (v as string) : '');
  const off = Number(query.offset);
  return { period, asOf, teamId: id(query.team_id), repId: id(query.rep_id), offset: Number.isInteger(off) && off > 0 ? off : 0 };
}

/** The query for GET /forecast (also the page's URL query, which leaves out `limit`). */
export function forecastQuery(st: ForecastState, limit = DEAL_PAGE_SIZE): Record<string, string | number> {
  const q: Record<string, string | number> = {};
  if (st.period) q.period = st.period;
  if (st.asOf) q.as_of = st.asOf;
  if (st.teamId) q.team_id = st.teamId;
  if (st.repId) q.rep_id = st.repId;
  q.limit = limit;
  q.offset = st.offset;
  return q;
}

export function forecastUrlParams(st: ForecastState): Record<string, string | number> {
  const q = forecastQuery(st);
  delete q.limit;
  if (!st.offset) delete q.offset;
  return q;
}

// --- money ----------------------------------------------------------------------------------------

/** An amount in major units from MONEY or a plain number. */
export function amountOf(v: Money | number | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v.amount === 'number') return v.amount;
  if (typeof v.amount_minor === 'number') return v.amount_minor / 100;
  return 0;
}

// --- key figures and commit vs model -------------------------------------------------------------------

export type GapLevel = 'above_p90' | 'above' | 'near' | 'below_p10';

/**
 * How the reps' commit compares with the model: above its P90 (even the optimistic outcome is
 * lower), more than 10 % above the expectation, below the model's P10, or near it.
 */
export function commitGap(r: Pick<Rollup, 'commit' | 'expected' | 'p10' | 'p90'>): { gap: number; ratio: number | null; level: GapLevel } {
  const commit = amountOf(r.commit);
  const expected = amountOf(r.expected);
  const gap = commit - expected;
  const ratio = expected > 0 ? gap / expected : null;
  let level: GapLevel = 'near';
  if (commit > amountOf(r.p90) && gap > 0) level = 'above_p90';
  else if (gap > 0 && (ratio === null || ratio > 0.1)) level = 'above';
  else if (commit < amountOf(r.p10)) level = 'below_p10';
  return { gap, ratio, level };
}

export interface Bullet {
  currency: string;
  max: number;
  /** Positions in percent of the track. */
  closedWon: number;
  p10: number;
  p90: number;
  expected: number;
  commit: number;
  bestCase: number;
  stated: number;
}

/** The commit-vs-model bullet of one currency: every figure as a percentage of the widest. */
export function bullet(r: Rollup): Bullet {
  const values = [r.closed_won, r.p10, r.p90, r.expected, r.commit, r.best_case, r.stated].map(amountOf);
  const max = Math.max(1, ...values) * 1.05;
  const pct = (v: Money) => Math.round((amountOf(v) / max) * 1000) / 10;
  return {
    currency: r.currency,
    max,
    closedWon: pct(r.closed_won),
    p10: pct(r.p10),
    p90: pct(r.p90),
    expected: pct(r.expected),
    commit: pct(r.commit),
    bestCase: pct(r.best_case),
    stated: pct(r.stated),
  };
}

// --- the fan ---------------------------------------------------------------------------------------

export interface FanSeries {
  dates: string[];
  /** Closed won by each date, null after as_of (not known yet). */
  closedWon: (number | null)[];
  p10: number[];
  /** P90 − P10, stacked on P10 to draw the band. */
  band: number[];
  p50: number[];
  expected: number[];
  /** Index of the last point on or before as_of (-1 if none). */
  asOfIndex: number;
}

/** The fan's series for ECharts: the P10–P90 band as a stack, P50 and expected as lines. */
export function fanSeries(points: FanPoint[] | null | undefined, asOf: string): FanSeries {
  const pts = [...(points ?? [])].sort((a, b) => a.date.localeCompare(b.date));
  const out: FanSeries = { dates: [], closedWon: [], p10: [], band: [], p50: [], expected: [], asOfIndex: -1 };
  pts.forEach((p, i) => {
    const p10 = amountOf(p.p10);
    const p90 = Math.max(p10, amountOf(p.p90));
    out.dates.push(p.date);
    out.closedWon.push(p.date <= asOf ? amountOf(p.closed_won) : null);
    out.p10.push(p10);
    out.band.push(p90 - p10);
    out.p50.push(amountOf(p.p50));
    out.expected.push(amountOf(p.expected));
    if (p.date <= asOf) out.asOfIndex = i;
  });
  // The closed-won line reaches as_of itself: the first point after it carries today's value.
  if (out.asOfIndex >= 0 && out.asOfIndex < pts.length - 1 && pts[out.asOfIndex].date < asOf) {
    out.closedWon[out.asOfIndex + 1] = amountOf(pts[out.asOfIndex + 1].closed_won);
  }
  return out;
}

// --- the roll-up table -------------------------------------------------------------------------------

export interface RollupRow {
  key: string;
  level: 'team' | 'rep' | 'total';
  id: number | null;
  name: string;
  currency: string;
  deals: number;
  closedWon: string;
  expected: string;
  p10: string;
  p50: string;
  p90: string;
  commit: string;
  bestCase: string;
  gap: string;
  gapRatio: string;
  gapLevel: GapLevel;
  indent: boolean;
}

function rollupRow(r: Rollup, level: RollupRow['level'], id: number | null, name: string, locale: Locale, indent: boolean): RollupRow {
  const m = (v: Money) => formatMoney(amountOf(v), r.currency, locale, 'never');
  const g = commitGap(r);
  const sign = g.gap > 0 ? '+' : g.gap < 0 ? '−' : '';
  return {
    key: `${level}-${id ?? 'all'}-${r.currency}`,
    level,
    id,
    name,
    currency: r.currency,
    deals: r.deals,
    closedWon: m(r.closed_won),
    expected: m(r.expected),
    p10: m(r.p10),
    p50: m(r.p50),
    p90: m(r.p90),
    commit: m(r.commit),
    bestCase: m(r.best_case),
    gap: `${sign}${formatMoney(Math.abs(g.gap), r.currency, locale, 'never')}`,
    gapRatio: g.ratio === null ? '' : `${g.ratio > 0 ? '+' : ''}${formatPercent(g.ratio, locale)}`,
    gapLevel: g.level,
    indent,
  };
}

/**
 * The roll-up table: each team followed by its reps (a rep's `team` name ties them), reps without
 * a listed team after, by currency then name; the totals of the scope last.
 */
export function rollupRows(
  groups: GroupRollup[] | null | undefined,
  totals: Rollup[] | null | undefined,
  locale: Locale,
  teamOfRep: (repId: number) => string | null = () => null,
  totalName = 'Total',
): RollupRow[] {
  const list = groups ?? [];
  const byName = (a: GroupRollup, b: GroupRollup) => a.currency.localeCompare(b.currency) || a.name.localeCompare(b.name);
  const teams = list.filter((g) => g.level === 'team').sort(byName);
  const reps = list.filter((g) => g.level === 'rep').sort(byName);
  const rows: RollupRow[] = [];
  const used = new Set<GroupRollup>();
  for (const team of teams) {
    rows.push(rollupRow(team, 'team', team.id, team.name, locale, false));
    for (const rep of reps) {
      if (rep.currency === team.currency && teamOfRep(rep.id) === team.name) {
        rows.push(rollupRow(rep, 'rep', rep.id, rep.name, locale, true));
        used.add(rep);
      }
    }
  }
  for (const rep of reps) if (!used.has(rep)) rows.push(rollupRow(rep, 'rep', rep.id, rep.name, locale, teams.length > 0));
  for (const t of [...(totals ?? [])].sort((a, b) => a.currency.localeCompare(b.currency))) {
    rows.push(rollupRow(t, 'total', null, totalName, locale, false));
  }
  return rows;
}

// --- deals and factors ---------------------------------------------------------------------------------

export interface FactorView {
  feature: string;
  label: string;
  /** Odds multiplier e^effect, as text: "×1.8". */
  odds: string;
  /** Bar width 0–100 relative to the largest effect of the deal. */
  width: number;
  direction: 'up' | 'down';
}

/** The model's factors of a deal, strongest first: effect (log-odds) as an odds multiplier. */
export function factorViews(factors: ForecastDeal['factors'] | null | undefined, locale: Locale, max = 5): { up: FactorView[]; down: FactorView[] } {
  const up = [...(factors?.up ?? [])].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)).slice(0, max);
  const down = [...(factors?.down ?? [])].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)).slice(0, max);
  const biggest = Math.max(1e-9, ...[...up, ...down].map((f) => Math.abs(f.effect)));
  const view = (f: Factor, direction: 'up' | 'down'): FactorView => ({
    feature: f.feature,
    label: f.label || f.feature.replace(/_/g, ' '),
    odds: `×${formatNumber(Math.exp(f.effect), locale, 2)}`,
    width: Math.round((Math.abs(f.effect) / biggest) * 100),
    direction,
  });
  return { up: up.map((f) => view(f, 'up')), down: down.map((f) => view(f, 'down')) };
}

export type DiffTone = 'optimistic' | 'pessimistic' | 'agree' | 'none';

/** The rep's probability minus the model's, in percentage points, and how to show it. */
export function differenceView(deal: Pick<ForecastDeal, 'p_model' | 'p_stated' | 'difference'>, locale: Locale): { text: string; tone: DiffTone; points: number | null } {
  const d = deal.difference ?? (deal.p_stated === null || deal.p_stated === undefined ? null : deal.p_stated - deal.p_model);
  if (d === null || d === undefined || Number.isNaN(d)) return { text: '–', tone: 'none', points: null };
  const points = Math.round(d * 100);
  const tone: DiffTone = points >= 10 ? 'optimistic' : points <= -10 ? 'pessimistic' : 'agree';
  const text = `${points > 0 ? '+' : points < 0 ? '−' : '±'}${formatNumber(Math.abs(points), locale)}`;
  return { text, tone, points };
}

export interface DealRow {
  id: number;
  href: string;
  name: string;
  account: string;
  owner: string;
  stage: string;
  amount: string;
  closeDate: string | null;
  category: string | null;
  pStated: string;
  pModel: string;
  pSlip: string;
  diff: ReturnType<typeof differenceView>;
  hasFactors: boolean;
  inPeriod: boolean;
}

export function dealRow(d: ForecastDeal, locale: Locale): DealRow {
  return {
    id: d.id,
    href: `/opportunities/${d.id}`,
    name: d.name || `#${d.id}`,
    account: d.account ?? '',
    owner: d.owner ?? '',
    stage: d.stage,
    amount: formatMoney(amountOf(d.amount), d.amount?.currency, locale, 'never'),
    closeDate: d.close_date,
    category: d.forecast_category,
    pStated: formatPercent(d.p_stated, locale),
    pModel: formatPercent(d.p_model, locale),
    pSlip: formatPercent(d.p_slip, locale),
    diff: differenceView(d, locale),
    hasFactors: (d.factors?.up?.length ?? 0) + (d.factors?.down?.length ?? 0) > 0,
    inPeriod: d.in_period !== false,
  };
}

// --- optimism ------------------------------------------------------------------------------------------

export interface OptimismView {
  repId: number;
  name: string;
  team: string;
  examples: number;
  meanStated: string;
  winRate: string;
  optimism: string;
  interval: string;
  /** Positions on the whisker's track, in percent (50 = no optimism). */
  dot: number | null;
  lower: number | null;
  upper: number | null;
  verdict: 'optimistic' | 'pessimistic' | 'unclear';
}

const pp = (v: number | null | undefined, locale: Locale, signed = true) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '–'
    : `${signed && v > 0 ? '+' : v < 0 ? '−' : ''}${formatNumber(Math.abs(v * 100), locale, 0)}`;

/** The whisker track's half-width: the largest |bound| rounded up to 10 points (at least 20). */
export function optimismScale(rows: OptimismRow[]): number {
  const m = Math.min(1, Math.max(0.2, ...rows.flatMap((r) => [r.lower, r.upper, r.optimism]).filter((v): v is number => typeof v === 'number').map(Math.abs)));
  return Math.ceil(m * 10 - 1e-9) / 10;
}

export function optimismViews(rows: OptimismRow[] | null | undefined, locale: Locale): { scale: number; rows: OptimismView[] } {
  const list = [...(rows ?? [])].sort((a, b) => (b.optimism ?? -9) - (a.optimism ?? -9) || a.name.localeCompare(b.name));
  const scale = optimismScale(list);
  const pos = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(Math.min(100, Math.max(0, 50 + (v / scale) * 50)) * 10) / 10;
  return {
    scale,
    rows: list.map((r) => ({
      repId: r.rep_id,
      name: r.name,
      team: r.team ?? '',
      examples: r.examples,
      meanStated: formatPercent(r.mean_stated, locale),
      winRate: formatPercent(r.win_rate, locale),
      optimism: pp(r.optimism, locale),
      interval: r.lower === null || r.upper === null ? '–' : `${pp(r.lower, locale)} … ${pp(r.upper, locale)}`,
      dot: pos(r.optimism),
      lower: pos(r.lower),
      upper: pos(r.upper),
      verdict: r.lower !== null && r.lower > 0 ? 'optimistic' : r.upper !== null && r.upper < 0 ? 'pessimistic' : 'unclear',
    })),
  };
}

// --- the backtest -----------------------------------------------------------------------------------------

export const BACKTEST_KINDS = ['model', 'stated', 'stage_default'] as const;
export type BacktestKind = (typeof BACKTEST_KINDS)[number];

/** Reliability points [mean predicted, observed rate] of the bins that hold examples. */
export function reliabilityPoints(m: BacktestMetrics | null | undefined): { value: [number, number]; count: number }[] {
  return (m?.reliability ?? [])
    .filter((b) => b.count > 0 && b.mean_predicted !== null && b.observed_rate !== null)
    .map((b) => ({ value: [b.mean_predicted as number, b.observed_rate as number] as [number, number], count: b.count }));
}

/** Which of the three is best on each score: lowest Brier and log loss, highest AUC. */
export function bestScores(b: Record<BacktestKind, BacktestMetrics | null | undefined>): Record<'brier' | 'log_loss' | 'auc', BacktestKind | null> {
  const pick = (key: 'brier' | 'log_loss' | 'auc', higher: boolean): BacktestKind | null => {
    let best: BacktestKind | null = null;
    for (const k of BACKTEST_KINDS) {
      const v = b[k]?.[key];
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      const cur = best ? (b[best]?.[key] as number) : null;
      if (cur === null || (higher ? v > cur : v < cur)) best = k;
    }
    return best;
  };
  return { brier: pick('brier', false), log_loss: pick('log_loss', false), auc: pick('auc', true) };
}

// --- snapshots and what moved --------------------------------------------------------------------------------

export function snapshotPeriod(s: Pick<Snapshot, 'period'>): string {
  if (!s.period) return '';
  return typeof s.period === 'string' ? s.period : s.period.label || periodKeyFromRange(s.period.start, s.period.end);
}

/** The pair compared by default: the second newest → the newest (ids in that order), or null. */
export function defaultPair(items: Snapshot[]): [number, number] | null {
  if (items.length < 2) return null;
  const sorted = [...items].sort((a, b) => b.taken_at.localeCompare(a.taken_at) || b.id - a.id);
  return [sorted[1].id, sorted[0].id];
}

export const MOVE_KINDS = ['new', 'won', 'lost', 'pushed_out', 'pulled_in', 'amount_up', 'amount_down'] as const;
export const MOVE_TONE: Record<string, 'green' | 'red' | 'yellow' | 'blue' | ''> = {
  new: 'blue',
  won: 'green',
  lost: 'red',
  pushed_out: 'yellow',
  pulled_in: 'green',
  amount_up: 'green',
  amount_down: 'red',
};

export interface MovedSummaryRow {
  kind: string;
  count: number;
  amounts: string;
  tone: string;
}

/** The summary in a fixed order (new, won, lost, pushed out, pulled in, amount up, down); kinds the
 *  server adds later come last. Kinds with nothing moved are kept so the table always has 7 rows. */
export function movedSummary(summary: MoveSummary[] | null | undefined, locale: Locale): MovedSummaryRow[] {
  const by = new Map((summary ?? []).map((s) => [s.kind, s]));
  const kinds = [...MOVE_KINDS, ...[...by.keys()].filter((k) => !(MOVE_KINDS as readonly string[]).includes(k))];
  return kinds.map((kind) => {
    const s = by.get(kind);
    const amounts = [...(s?.amounts ?? [])].sort((a, b) => a.currency.localeCompare(b.currency));
    return {
      kind,
      count: s?.count ?? 0,
      amounts: amounts.length ? amounts.map((m) => formatMoney(amountOf(m), m.currency, locale, 'never')).join(' · ') : '–',
      tone: MOVE_TONE[kind] ?? '',
    };
  });
}

export interface MovedDeal {
  id: number;
  name: string;
  owner: string;
  kinds: string[];
  stageBefore: string | null;
  stageAfter: string | null;
  amountBefore: string;
  amountAfter: string;
  closeBefore: string | null;
  closeAfter: string | null;
}

/** The moves grouped by deal (a deal can move in several ways), in the order of the fixed kinds. */
export function movedDeals(moves: Move[] | null | undefined, locale: Locale, currencyOf: (m: Move) => string = () => ''): MovedDeal[] {
  const order = (k: string) => {
    const i = (MOVE_KINDS as readonly string[]).indexOf(k);
    return i < 0 ? 99 : i;
  };
  const money = (m: Move, v: Money | number | null) => {
    if (v === null || v === undefined) return '–';
    const cur = typeof v === 'number' ? currencyOf(m) : v.currency;
    return formatMoney(amountOf(v), cur, locale, 'never');
  };
  const byDeal = new Map<number, MovedDeal>();
  for (const m of moves ?? []) {
    let d = byDeal.get(m.opportunity_id);
    if (!d) {
      d = {
        id: m.opportunity_id,
        name: m.name || `#${m.opportunity_id}`,
        owner: m.owner ?? '',
        kinds: [],
        stageBefore: m.stage_before,
        stageAfter: m.stage_after,
        amountBefore: money(m, m.amount_before),
        amountAfter: money(m, m.amount_after),
        closeBefore: m.close_before,
        closeAfter: m.close_after,
      };
      byDeal.set(m.opportunity_id, d);
    }
    if (!d.kinds.includes(m.kind)) d.kinds.push(m.kind);
  }
  const list = [...byDeal.values()];
  for (const d of list) d.kinds.sort((a, b) => order(a) - order(b));
  return list.sort((a, b) => order(a.kinds[0]) - order(b.kinds[0]) || a.name.localeCompare(b.name));
}
