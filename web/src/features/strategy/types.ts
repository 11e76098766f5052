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
