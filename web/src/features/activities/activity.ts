// SPDX-License-Identifier: MIT
// The one-step activity log: the POST body from the form, and which planned activities are overdue.
import type { Activity, ActivityStatus, ActivityType } from '../../lib/api/types';
import { dateTimeLocalToUtc } from '../../lib/format';

export interface LogForm {
  type: ActivityType;
  accountId: number | null;
  contactId: string;
  /** An open deal of the account, or '' for none. */
  dealId?: string;
  date: string; // datetime-local value
  outcome: string;
  notes: string;
  status: ActivityStatus;
}

export type LogCheck = { ok: true; body: Record<string, unknown> } | { ok: false; field: 'account_id' | 'date' };

export function activityBody(form: LogForm, ownerId: number | null): LogCheck {
  if (!form.accountId) return { ok: false, field: 'account_id' };
  const date = dateTimeLocalToUtc(form.date);
  if (!date) return { ok: false, field: 'date' };
  const body: Record<string, unknown> = {
    type: form.type,
    status: form.status,
    date,
    account_id: form.accountId,
  };
  if (ownerId) body.owner_id = ownerId;
  if (form.contactId) body.contact_id = Number(form.contactId);
  if (form.dealId) body.opportunity_id = Number(form.dealId);
  if (form.outcome.trim()) body.outcome = form.outcome.trim();
  if (form.notes.trim()) body.notes = form.notes.trim();
  return { ok: true, body };
}

export function isOverdue(a: Pick<Activity, 'status' | 'date'>, now: Date = new Date()): boolean {
  if (a.status !== 'planned') return false;
  const at = new Date(a.date);
  return !Number.isNaN(at.getTime()) && at.getTime() < now.getTime();
}
