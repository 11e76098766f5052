// SPDX-License-Identifier: MIT
// Wire types of the audit routes (/api/v1/audit...): the consolidated report, the items by colour,
// one item's scorecard, answers, action items and saved runs with their comparison.

export type AuditColour = 'green' | 'yellow' | 'red';
export const AUDIT_COLOURS: readonly AuditColour[] = ['red', 'yellow', 'green'];
export type SubjectType = 'opportunity' | 'account';
export const SUBJECT_TYPES: readonly SubjectType[] = ['opportunity', 'account'];
export type Answer = 'yes' | 'no' | 'unknown';
export const ANSWERS: readonly Answer[] = ['yes', 'no', 'unknown'];

/** Minor units per currency and colour: `{"DKK": {"green": 100, "yellow": 0, "red": 5000}}`. */
export type ValueByColour = Record<string, Partial<Record<AuditColour, number>>>;

export interface Tally {
  items: number;
  green: number;
  yellow: number;
  red: number;
  value_minor?: ValueByColour;
}

export interface AuditArea {
  id: string;
  name: string;
}

export interface AuditGroup {
  key: string;
  label: string;
  tally: Tally;
  mean_score: number[];
  /** Share (0..1) of the group's items that meet the minimum in each area. */
  meets_minimum: number[];
  mean_gap: number[];
  weakest_area: string | null;
  weakest_area_name: string | null;
}

export interface WorstItem {
  id: number;
  name: string;
  colour: AuditColour;
  value_minor: number;
}

export interface AuditSection {
  subject_type: SubjectType;
  playbook: string;
  playbook_title: string;
  areas: AuditArea[];
  total: Tally;
  mean_gap: number[];
  by_team: AuditGroup[];
  by_rep: AuditGroup[];
  by_segment: AuditGroup[];
  by_stage: AuditGroup[];
  worst: Record<string, WorstItem[]>;
}

export interface AuditTrend {
  previous_run_id: number;
  previous_as_of: string;
  to_green: number;
  to_yellow: number;
  to_red: number;
  unchanged: number;
  added: number;
  gone: number;
}

export interface AuditAction {
  activity_id: number;
  subject_type: SubjectType;
  subject_id: number;
  subject_name: string;
  criterion_id: string | null;
  criterion: string | null;
  owner: string | null;
  due: string | null;
  done: boolean;
  gap_closed: boolean;
}

export interface AuditReport {
  as_of: string;
  scope: string;
  locale: string;
  playbooks: string;
  summary: Tally;
  sections: AuditSection[];
  trend: AuditTrend | null;
  actions: AuditAction[];
}

export interface Finding {
  kind: string;
  criterion: string | null;
  days: number;
  limit: number;
}

export interface AuditItem {
  subject_type: SubjectType;
  id: number;
  external_id: string | null;
  name: string;
  owner: string | null;
  owner_name: string | null;
  team: string | null;
  stage: string | null;
  abc_class: string | null;
  colour: AuditColour;
  area_scores: number[];
  area_minimums: number[];
  stale: boolean;
  value: { minor: number; currency: string } | null;
  answers: Record<string, Answer>;
  reasons: string[];
  actions: string[];
  findings: Finding[];
}

export interface AuditItemsPage {
  items: AuditItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface AnswerRecord {
  answer: Answer;
  note: string | null;
  answered_by: { id: number; name: string; email: string } | null;
  answered_at: string;
}

export interface ScorecardCriterion {
  id: string;
  text: string;
  action: string;
  auto: boolean;
  answer: Answer;
  latest: AnswerRecord | null;
  history: AnswerRecord[];
}

export interface ScorecardArea {
  id: string;
  name: string;
  score: number;
  minimum: number;
  gap: number;
  criteria: ScorecardCriterion[];
}

export interface ActionItem {
  activity_id: number;
  criterion_id: string | null;
  criterion: string | null;
  due: string | null;
  done: boolean;
  gap_closed: boolean;
}

export interface Scorecard extends AuditItem {
  as_of: string;
  playbook: string;
  playbook_title: string;
  areas: ScorecardArea[];
  action_items: ActionItem[];
}

export interface AuditRun {
  id: number;
  as_of: string;
  scope: string;
  playbooks?: string;
  items: number;
  green: number;
  yellow: number;
  red: number;
  created_at: string;
  created_by?: number | string | null;
}

export interface RunMove {
  from: string;
  to: string;
  count: number;
}

export interface MovedItem {
  subject_type: SubjectType;
  id: number;
  name: string;
  from: string;
}

export interface RunComparison {
  from: AuditRun;
  to: AuditRun;
  moves: RunMove[];
  to_red: MovedItem[];
  to_green: MovedItem[];
}
