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
