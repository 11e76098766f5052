// SPDX-License-Identifier: MIT
// GET /api/v1/customer-value (docs/api.md, "Customer value and strategy").

export type AbcClass = 'A' | 'B' | 'C';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
  log_likelihood: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
  log_likelihood: number;
  [key: string]: unknown;
}

export interface AbcSummary {
  A: number;
  B: number;
  C: number;
  customers: number;
  total_clv: number;
}

export interface CustomerValueRow {
  id: number;
  external_id: string | null;
  name: string;
  currency: string;
  frequency: number;
  recency: number;
  T: number;
  p_alive: number;
  expected_purchases: number;
  expected_spend: number;
  clv: number;
  clv_minor: number;
  abc_class: AbcClass | string;
}

export interface CustomerValueReport {
  bgnbd: BgNbdParams | null;
  gamma_gamma_by_currency: Record<string, GammaGammaParams> | null;
  abc: Record<string, AbcSummary> | null;
  customers: CustomerValueRow[];
  total: number;
  limit: number;
  offset: number;
  [key: string]: unknown;
}

// GET /api/v1/strategy (docs/api.md, "Customer value and strategy"): the parts the Segments page reads.

export interface Money {
  amount: number;
  amount_minor?: number;
  currency: string;
}

export interface SegmentCurrency {
  currency: string;
  customers: number;
  margin: Money | null;
  margin_pct: number | null;
  margin_per_customer: Money | null;
  revenue?: Money | null;
  [key: string]: unknown;
}

export interface SegmentRow {
  segment_id: number;
  name: string;
  core: boolean;
  suggested_core: boolean;
  reason: string;
  accounts: number;
  customers: number;
  won: number;
  lost: number;
  win_rate: number | null;
  median_cycle_days: number | null;
  margin_per_customer_index: number | null;
  value_index: number | null;
  currencies: SegmentCurrency[];
  [key: string]: unknown;
}

export interface IcpLift {
  value: string;
  label: string;
  lift: number;
  raw_lift?: number;
  customers: number;
  top_customers: number;
  share_all?: number;
  share_top?: number;
  in_fit?: boolean;
}

export interface StrategyReport {
  as_of: string;
  window: { from: string; to: string };
  segment_table: { company: SegmentRow; rule: string; segments: SegmentRow[] };
  icp: {
    attributes: Record<string, IcpLift[]>;
    customers: number;
    top_customers: number;
    top_share: number;
    prior_strength: number;
    value_basis: string;
    error: string | null;
  };
  [key: string]: unknown;
}

// GET /api/v1/strategy's `alignment` (src/service/strategy_service.h, AlignmentJson).

export interface Period {
  start: string;
  end: string;
  label: string;
}

export interface ShareCount {
  total: number;
  core: number;
  high_fit?: number;
  core_share: number | null;
  high_fit_share?: number | null;
}

/** A money value as /strategy sends it, or a bare amount (the cascade's pipeline). */
export type MoneyOrAmount = Money | number | null;

export interface PipelineShare {
  currency: string;
  deals?: number;
  total: MoneyOrAmount;
  core: MoneyOrAmount;
  high_fit?: MoneyOrAmount;
  core_share: number | null;
  high_fit_share?: number | null;
}

export type AlignmentLevel = 'company' | 'team' | 'rep';

export interface AlignmentRow {
  level: AlignmentLevel | string;
  id: number;
  name: string;
  period: Period;
  meetings: ShareCount;
  activities: ShareCount;
  unlinked_activities?: number;
  pipeline: PipelineShare[];
}

export interface AlignmentReport {
  granularity: string;
  threshold?: number;
  core_segments?: number[];
  rows: AlignmentRow[];
}

// GET /api/v1/strategy/cascade and the segments, objectives and value-propositions records
// (docs/api.md, "The strategy cascade: segments, objectives, value propositions").

export const OBJECTIVE_METRICS = [
  'won_amount',
  'gross_margin',
  'margin_pct',
  'win_rate',
  'new_customers',
  'meetings',
  'core_meeting_share',
  'core_activity_share',
] as const;
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];
export type ObjectiveUnit = 'money' | 'percent' | 'count';
export type ObjectiveStatus = 'not_started' | 'on_track' | 'behind' | 'achieved' | 'missed';

export interface Objective {
  id: number;
  version: number;
  name: string;
  metric: ObjectiveMetric | string;
  target: number;
  target_minor?: number | null;
  currency: string | null;
  period_start: string;
  period_end: string;
}

export interface CascadeObjective extends Objective {
  unit: ObjectiveUnit | string;
  actual: number | null;
  progress: number | null;
  elapsed: number;
  cumulative: boolean;
  status: ObjectiveStatus | string;
}

export interface CascadeValueProposition {
  id: number;
  version: number;
  statement: string | null;
  key_issues: string[] | string | null;
  discovery_questions: string[] | string | null;
  proof_points: string[] | string | null;
}

export interface CascadeSegment {
  segment_id: number;
  name: string;
  core: boolean;
  suggested_core: boolean;
  customers: number;
  win_rate: number | null;
  value_proposition: CascadeValueProposition | null;
}

export interface CascadeAlignment {
  period: Period;
  meetings: ShareCount;
  activities: ShareCount;
  pipeline: PipelineShare[];
}

export interface Cascade {
  as_of: string;
  objectives: CascadeObjective[];
  segments: CascadeSegment[];
  alignment: CascadeAlignment[];
}

export interface Segment {
  id: number;
  version: number;
  name: string;
  rule: string | null;
  core: boolean;
}

/** A value-propositions record: the three lists as one item per line. */
export interface ValuePropositionRecord {
  id: number;
  version: number;
  segment?: string | null;
  segment_id: number;
  statement: string | null;
  key_issues: string | string[] | null;
  discovery_questions: string | string[] | null;
  proof_points: string | string[] | null;
}
