// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { activityBody, isOverdue } from './activity';

describe('activity log form', () => {
  const base = { type: 'call' as const, accountId: 17, contactId: '', date: '2025-06-02T10:15', outcome: ' Booked demo ', notes: '', status: 'completed' as const };
  it('builds the POST body', () => {
    const r = activityBody(base, 2);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body).toMatchObject({ type: 'call', status: 'completed', account_id: 17, owner_id: 2, outcome: 'Booked demo' });
    expect(r.body.date).toMatch(/^2025-06-0[12]T\d\d:\d\d:00Z$/);
    expect(r.body).not.toHaveProperty('contact_id');
    expect(r.body).not.toHaveProperty('notes');
  });
  it('includes the contact when chosen', () => {
    const r = activityBody({ ...base, contactId: '5' }, 2);
    expect(r.ok && r.body.contact_id).toBe(5);
  });
  it('includes the deal when chosen', () => {
    const r = activityBody({ ...base, dealId: '42' }, 2);
    expect(r.ok && r.body.opportunity_id).toBe(42);
    const none = activityBody(base, 2);
    expect(none.ok && 'opportunity_id' in none.body).toBe(false);
  });
  it('needs an account and a date', () => {
    expect(activityBody({ ...base, accountId: null }, 2)).toEqual({ ok: false, field: 'account_id' });
    expect(activityBody({ ...base, date: '' }, 2)).toEqual({ ok: false, field: 'date' });
  });
  it('overdue means planned and due before now', () => {
    const now = new Date('2025-06-02T12:00:00Z');
    expect(isOverdue({ status: 'planned', date: '2025-06-02T11:00:00Z' }, now)).toBe(true);
    expect(isOverdue({ status: 'planned', date: '2025-06-02T13:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ status: 'completed', date: '2025-06-01T11:00:00Z' }, now)).toBe(false);
  });
});
