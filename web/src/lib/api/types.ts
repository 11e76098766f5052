// SPDX-License-Identifier: MIT
// Wire types of the REST API (docs/api.md). Records carry the canonical CSV columns of their kind
// plus id, version and the numeric ids of referenced records; money also comes in minor units.

export type Role = 'rep' | 'manager' | 'executive' | 'marketing' | 'admin';
export type Locale = 'en' | 'da' | 'sv' | 'nb';

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  team: string | null;
  team_id: number | null;
  locale: Locale;
}

export interface SessionReply {
  user: SessionUser;
  csrf_token: string;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  /** With `totals=true`: the whole list's money per field and currency, in currency-code order. */
  totals?: Record<string, MoneyValue[]>;
}

export interface Versioned {
  id: number;
  version: number;
}

export type AccountStatus = 'prospect' | 'customer' | 'former';

export interface Account extends Versioned {
  external_id?: string;
  name: string;
  industry?: string;
  employees?: number | null;
  region?: string;
  country?: string;
  org_number?: string;
  owner_email?: string;
  owner_id?: number | null;
  status: AccountStatus;
  segment_id?: number | null;
  abc_class?: string;
  created_at?: string;
}

export interface Contact extends Versioned {
  external_id?: string;
  account?: string;
  account_id: number;
  name: string;
  title?: string;
  email?: string;
  phone?: string;
  buying_role?: string;
  relationship_strength?: number | null;
}

export const STAGES = [
  'qualify',
  'discover',
  'propose',
  'negotiate',
  'commit',
  'closed_won',
  'closed_lost',
] as const;
export type Stage = (typeof STAGES)[number];
export type Outcome = 'open' | 'won' | 'lost';

export interface Opportunity extends Versioned {
  external_id?: string;
  account?: string;
  account_id: number;
  /** Not in the contract; used when a server sends it, looked up otherwise. */
  account_name?: string;
  name: string;
  owner_email?: string;
  owner_id?: number | null;
  stage: Stage;
  amount?: number | null;
  amount_minor?: number | null;
  currency?: string;
  probability?: number | null;
  created_date?: string;
  close_date?: string | null;
  closed_date?: string | null;
  outcome?: Outcome;
  next_step?: string;
  next_step_date?: string | null;
  forecast_category?: string;
  product_lines?: string;
  competitors?: string;
  reason?: string;
}

export interface OpportunityChange {
  id?: number;
  opportunity?: string;
  opportunity_id?: number;
  changed_at: string;
  stage: Stage;
  amount?: number | null;
  currency?: string;
  probability?: number | null;
  close_date?: string | null;
  changed_by?: string;
  changed_by_id?: number | null;
}

export type ActivityType = 'call' | 'meeting' | 'email' | 'proposal' | 'demo' | 'event' | 'task';
export const ACTIVITY_TYPES: ActivityType[] = [
  'call',
  'meeting',
  'email',
  'proposal',
  'demo',
  'event',
  'task',
];
export type ActivityStatus = 'planned' | 'completed';

export interface Activity extends Versioned {
  external_id?: string;
  type: ActivityType;
  status: ActivityStatus;
  date: string;
  owner_email?: string;
  owner_id?: number | null;
  account?: string;
  account_id?: number | null;
  account_name?: string | null;
  contact?: string;
  contact_id?: number | null;
  opportunity?: string;
  opportunity_id?: number | null;
  lead?: string;
  lead_id?: number | null;
  outcome?: string;
  notes?: string;
  /** Set when the activity is the task of an audit action plan (POST /audit/actions). */
  action_plan?: ActionPlanRef | null;
}

export interface ActionPlanRef {
  id: number;
  subject_type: 'opportunity' | 'account';
  subject_id: number;
  criterion_id: string;
}

export interface Order extends Versioned {
  external_id?: string;
  account?: string;
  account_id: number;
  date: string;
  revenue: number;
  revenue_minor?: number;
  margin?: number | null;
  margin_minor?: number | null;
  currency: string;
}

export type LeadStatus = 'new' | 'working' | 'warm' | 'qualified' | 'disqualified';
export const LEAD_STATUSES: LeadStatus[] = ['new', 'working', 'warm', 'qualified', 'disqualified'];
export const LEAD_SOURCES = ['campaign', 'trade_show', 'web', 'referral', 'outbound', 'other'] as const;

export interface Lead extends Versioned {
  external_id?: string;
  name: string;
  company?: string;
  title?: string;
  email?: string;
  phone?: string;
  source?: string;
  campaign?: string;
  campaign_id?: number | null;
  status: LeadStatus;
  owner_email?: string;
  owner_id?: number | null;
  account?: string;
  account_id?: number | null;
  created_date?: string;
}

export interface User extends Versioned {
  email: string;
  name: string;
  role: Role;
  team?: string | null;
  team_id?: number | null;
  locale?: Locale;
  active?: boolean | string | number;
}

export interface Team extends Versioned {
  name: string;
  manager_email?: string | null;
  manager_id?: number | null;
}

export interface MoneyValue {
  currency: string;
  amount: number;
  amount_minor?: number;
}

export interface HomeData {
  pipeline: {
    open_count: number;
    by_stage: { stage: Stage; count: number; value: MoneyValue[] }[];
    value: MoneyValue[];
  };
  won_this_quarter: { count: number; value: MoneyValue[] };
  activities: { due_today: number; overdue: number; completed_last_7_days: number };
  closing_soon: Opportunity[];
}

export interface StageInfo {
  stage: Stage;
  probability: number | null;
  closed: boolean;
}
