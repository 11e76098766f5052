// SPDX-License-Identifier: MIT
// The pipeline-by-stage bar chart's data: one series per currency (amounts in different
// currencies are never added up), stages in board order.
import type { HomeData, Stage } from '../../lib/api/types';
import { STAGES } from '../../lib/api/types';

export interface StageSeries {
  currency: string;
  values: number[];
}

export interface StageChartData {
  stages: Stage[];
  counts: number[];
  series: StageSeries[];
}

export function stageChartData(pipeline: HomeData['pipeline']): StageChartData {
  const order = (s: string) => {
    const i = (STAGES as readonly string[]).indexOf(s);
    return i < 0 ? STAGES.length : i;
  };
  const rows = [...(pipeline.by_stage ?? [])].sort((a, b) => order(a.stage) - order(b.stage));
  const currencies = new Set<string>();
  for (const r of rows) for (const v of r.value ?? []) currencies.add(v.currency);
  const series = [...currencies].sort().map((currency) => ({
    currency,
    values: rows.map((r) => (r.value ?? []).find((v) => v.currency === currency)?.amount ?? 0),
  }));
  return { stages: rows.map((r) => r.stage), counts: rows.map((r) => r.count), series };
}
