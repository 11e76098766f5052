// SPDX-License-Identifier: MIT
// Wire types of the forecast routes (docs/api.md, "The forecast (`/api/v1/forecast...`)").

export interface Money {
  currency: string;
  amount: number;
  amount_minor: number;
}

export type ForecastMethod = 'model' | 'stage_rates';

export interface Rollup {
  currency: string;
  deals: number;
  closed_won: Money;
  pipeline: Money;
  stated: Money;
  commit: Money;
  best_case: Money;
  expected: Money;
  p10: Money;
  p50: Money;
  p90: Money;
}

export interface GroupRollup extends Rollup {
  level: 'team' | 'rep';
  id: number;
  name: string;
}

export interface FanPoint {
  date: string;
  closed_won: number | Money;
  expected: number | Money;
  p10: number | Money;
  p50: number | Money;
  p90: number | Money;
}

export interface Fan {
  currency: string;
  points: FanPoint[];
}

export interface Factor {
  feature: string;
  label: string;
  effect: number;
}

export interface ForecastDeal {
  id: number;
  name: string;
  account_id: number | null;
  account: string | null;
  owner_id: number | null;
  owner: string | null;
  team: string | null;
  stage: string;
  amount: Money;
  close_date: string | null;
  forecast_category: string | null;
  p_model: number;
  p_stated: number | null;
  difference: number | null;
  p_slip: number | null;
  /** Expected to close in the period (the server lists every open deal in scope). */
  in_period?: boolean;
  factors: { up: Factor[]; down: Factor[] };
}

export interface OptimismRow {
  rep_id: number;
  name: string;
  team: string | null;
  examples: number;
  mean_stated: number | null;
  win_rate: number | null;
  optimism: number | null;
  lower: number | null;
  upper: number | null;
}

export interface ForecastReport {
  as_of: string;
  period: { label: string; start: string; end: string };
  method: ForecastMethod;
  method_reason: string;
  model: { closed_deals: number; examples: number; calibration: string; features: string[] } | null;
  totals: Rollup[];
  groups: GroupRollup[];
  fan: Fan[];
  deals: ForecastDeal[];
  deals_total: number;
  limit: number;
  offset: number;
  optimism: OptimismRow[];
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  mean_predicted: number | null;
  observed_rate: number | null;
}

export interface BacktestMetrics {
  brier: number | null;
  log_loss: number | null;
  auc: number | null;
  reliability: ReliabilityBin[];
}

export interface Backtest {
  cutoff: string;
  train: { examples: number; closed_deals: number };
  test: { examples: number };
  method: ForecastMethod;
  model: BacktestMetrics;
  stated: BacktestMetrics;
  stage_default: BacktestMetrics;
}

export interface Snapshot {
  id: number;
  taken_at: string;
  as_of: string;
  period: string | { label: string; start?: string; end?: string };
  deals: number;
  totals: Rollup[];
}

export type MoveKind = 'new' | 'won' | 'lost' | 'pushed_out' | 'pulled_in' | 'amount_up' | 'amount_down';

export interface MoveSummary {
  kind: MoveKind | string;
  count: number;
  amounts: Money[];
}

export interface Move {
  kind: MoveKind | string;
  opportunity_id: number;
  name: string;
  owner_id: number | null;
  owner: string | null;
  stage_before: string | null;
  stage_after: string | null;
  amount_before: Money | number | null;
  amount_after: Money | number | null;
  close_before: string | null;
  close_after: string | null;
}

export interface Moved {
  from: Snapshot;
  to: Snapshot;
  summary: MoveSummary[];
  moves: Move[];
}
