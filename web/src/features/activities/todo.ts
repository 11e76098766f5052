// SPDX-License-Identifier: MIT
// The to-do list's logic, free of the UI: which planned activities fall in today, this week,
// overdue and later by the user's own calendar day (the server bounds by the UTC instants these
// give), the filters, and the bodies of bulk done / reschedule / cancel.
import type { QueryParams } from '../../lib/api/query';
import type { Activity, ActivityType } from '../../lib/api/types';

export type SectionKey = 'today' | 'week' | 'overdue' | 'later';
/** The order the sections are shown in: what is due soon first, then what was missed. */
export const SECTIONS: SectionKey[] = ['today', 'week', 'overdue', 'later'];

export interface Bounds {
  startToday: Date;
  startTomorrow: Date;
  /** Monday 00:00 of next week (the Nordic week starts on Monday). */
  startNextWeek: Date;
}

export interface TodoFilters {
  type: ActivityType | '';
  /** An opportunity id, or '' for all. */
  deal: string;
  actionPlan: boolean;
}

function localMidnight(d: Date, addDays = 0): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + addDays);
}

export function boundsAt(now: Date): Bounds {
  const startToday = localMidnight(now);
  const startTomorrow = localMidnight(now, 1);
  const weekday = (now.getDay() + 6) % 7; // Monday 0 … Sunday 6
  const startNextWeek = localMidnight(now, 7 - weekday);
  return { startToday, startTomorrow, startNextWeek };
}

/** `2026-12-07T23:00:00Z`: an instant as the API takes it (whole seconds). */
export function instant(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The inclusive end of the period before `d` (the API's `to` is inclusive). */
function before(d: Date): string {
  return instant(new Date(d.getTime() - 1000));
}

/** The list query of one section for the user's planned activities. */
export function sectionQuery(section: SectionKey, bounds: Bounds, filters: TodoFilters, ownerId: number | undefined): QueryParams {
  const q: QueryParams = {
    owner_id: ownerId,
    status: 'planned',
    type: filters.type,
    opportunity_id: filters.deal,
    action_plan: filters.actionPlan ? 'true' : '',
    sort: 'date',
  };
  switch (section) {
    case 'today':
      return { ...q, from: instant(bounds.startToday), to: before(bounds.startTomorrow) };
    case 'week':
      // On a Sunday the week has no days left after today: an empty range, not an error.
      if (bounds.startNextWeek.getTime() <= bounds.startTomorrow.getTime()) {
        return { ...q, from: instant(bounds.startTomorrow), to: before(bounds.startTomorrow) };
      }
      return { ...q, from: instant(bounds.startTomorrow), to: before(bounds.startNextWeek) };
    case 'overdue':
      // The most recently missed first: the ones still worth doing are on top.
      return { ...q, to: before(bounds.startToday), sort: '-date' };
    case 'later':
      return { ...q, from: instant(bounds.startNextWeek) };
  }
}

/** Reads `?type=call&opportunity_id=5&action_plan=true` from the address. */
export function filtersFromQuery(query: Record<string, string>): TodoFilters {
  const types: string[] = ['call', 'meeting', 'email', 'proposal', 'demo', 'event', 'task'];
  return {
    type: types.includes(query.type ?? '') ? (query.type as ActivityType) : '',
    deal: /^\d+$/.test(query.opportunity_id ?? '') ? query.opportunity_id : '',
    actionPlan: query.action_plan === 'true',
  };
}

export function filtersToQuery(filters: TodoFilters): QueryParams {
  return { type: filters.type, opportunity_id: filters.deal, action_plan: filters.actionPlan ? 'true' : '' };
}

/** `YYYY-MM` of the activity's local date: the overdue list's groups. */
export function monthKey(a: Pick<Activity, 'date'>): string {
  const d = new Date(a.date);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Consecutive runs of items with the same key, in the items' order. */
export function groupRuns<T>(items: T[], key: (item: T) => string): { key: string; items: T[] }[] {
  const out: { key: string; items: T[] }[] = [];
  for (const item of items) {
    const k = key(item);
    if (out.length && out[out.length - 1].key === k) out[out.length - 1].items.push(item);
    else out.push({ key: k, items: [item] });
  }
  return out;
}

/**
 * The activity moved to the local day `day` (`YYYY-MM-DD`) at the same local time of day it
 * had, as an instant; null for a malformed day.
 */
export function rescheduled(a: Pick<Activity, 'date'>, day: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const was = new Date(a.date);
  if (Number.isNaN(was.getTime())) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), was.getHours(), was.getMinutes(), was.getSeconds());
  return instant(at);
}

export type BulkAction = { kind: 'done' } | { kind: 'reschedule'; day: string } | { kind: 'cancel' };

/** The body of POST /activities/batch for `action` on `items`; null when a day is malformed. */
export function batchBody(action: BulkAction, items: Pick<Activity, 'id' | 'version' | 'date'>[]): Record<string, unknown> | null {
  switch (action.kind) {
    case 'done':
      return { update: items.map((a) => ({ id: a.id, version: a.version, status: 'completed' })) };
    case 'cancel':
      return { delete: items.map((a) => a.id) };
    case 'reschedule': {
      const update = [];
      for (const a of items) {
        const date = rescheduled(a, action.day);
        if (!date) return null;
        update.push({ id: a.id, version: a.version, date });
      }
      return { update };
    }
  }
}

/** The API takes at most 500 records per batch. */
export function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
