// SPDX-License-Identifier: MIT
import { beforeAll, describe, expect, it } from 'vitest';
import { batchBody, boundsAt, chunks, filtersFromQuery, groupRuns, monthKey, rescheduled, sectionQuery } from './todo';

// The user's calendar is Copenhagen's (UTC+1 in winter, UTC+2 in summer).
beforeAll(() => {
  (globalThis as unknown as { process: { env: Record<string, string> } }).process.env.TZ = 'Europe/Copenhagen';
});

const none = { type: '' as const, deal: '', actionPlan: false };

describe('to-do sections', () => {
  it('bounds today, this week, overdue and later by the local day', () => {
    // Wednesday 9 December 2026, 00:30 in Copenhagen (23:30 UTC the day before).
    const b = boundsAt(new Date('2026-12-08T23:30:00Z'));
    expect(sectionQuery('today', b, none, 7)).toMatchObject({
      owner_id: 7,
      status: 'planned',
      from: '2026-12-08T23:00:00Z',
      to: '2026-12-09T22:59:59Z',
      sort: 'date',
    });
    expect(sectionQuery('week', b, none, 7)).toMatchObject({ from: '2026-12-09T23:00:00Z', to: '2026-12-13T22:59:59Z' });
    expect(sectionQuery('overdue', b, none, 7)).toMatchObject({ to: '2026-12-08T22:59:59Z', sort: '-date' });
    expect(sectionQuery('overdue', b, none, 7)).not.toHaveProperty('from');
    expect(sectionQuery('later', b, none, 7)).toMatchObject({ from: '2026-12-13T23:00:00Z' });
  });
  it('has an empty week on a Sunday and follows summer time', () => {
    const sunday = boundsAt(new Date('2026-06-14T10:00:00Z'));
    const week = sectionQuery('week', sunday, none, 1);
    expect(week.from).toBe('2026-06-14T22:00:00Z');
    expect(String(week.to) < String(week.from)).toBe(true);
    expect(sectionQuery('later', sunday, none, 1).from).toBe('2026-06-14T22:00:00Z');
  });
  it('adds the filters, and leaves out the ones not set', () => {
    const b = boundsAt(new Date('2026-12-08T12:00:00Z'));
    const q = sectionQuery('today', b, { type: 'task', deal: '42', actionPlan: true }, 7);
    expect(q).toMatchObject({ type: 'task', opportunity_id: '42', action_plan: 'true' });
    expect(sectionQuery('today', b, none, 7)).toMatchObject({ type: '', opportunity_id: '', action_plan: '' });
  });
  it('reads the filters from the address, ignoring what is not one', () => {
    expect(filtersFromQuery({ type: 'meeting', opportunity_id: '5', action_plan: 'true' })).toEqual({ type: 'meeting', deal: '5', actionPlan: true });
    expect(filtersFromQuery({ type: 'party', opportunity_id: 'x' })).toEqual(none);
  });
});

describe('overdue groups', () => {
  it('groups consecutive activities by local month', () => {
    const items = ['2026-12-01T08:00:00Z', '2026-11-30T23:30:00Z', '2026-11-02T08:00:00Z', '2023-05-01T08:00:00Z'].map((date, id) => ({ id, date }));
    // 23:30 UTC on 30 November is 1 December in Copenhagen.
    expect(groupRuns(items, monthKey).map((g) => `${g.key}:${g.items.map((a) => a.id).join(',')}`)).toEqual([
      '2026-12:0,1',
      '2026-11:2',
      '2023-05:3',
    ]);
  });
});

describe('bulk actions', () => {
  const items = [
    { id: 1, version: 3, date: '2023-05-01T07:00:00Z' }, // 09:00 in Copenhagen (summer)
    { id: 2, version: 1, date: '2026-11-02T13:30:00Z' }, // 14:30 (winter)
  ];
  it('marks done with each version', () => {
    expect(batchBody({ kind: 'done' }, items)).toEqual({
      update: [
        { id: 1, version: 3, status: 'completed' },
        { id: 2, version: 1, status: 'completed' },
      ],
    });
  });
  it('reschedules to a day at the same local time of day', () => {
    expect(batchBody({ kind: 'reschedule', day: '2026-12-10' }, items)).toEqual({
      update: [
        { id: 1, version: 3, date: '2026-12-10T08:00:00Z' },
        { id: 2, version: 1, date: '2026-12-10T13:30:00Z' },
      ],
    });
    expect(rescheduled(items[0], '10-12-2026')).toBeNull();
    expect(batchBody({ kind: 'reschedule', day: '' }, items)).toBeNull();
  });
  it('cancels by deleting', () => {
    expect(batchBody({ kind: 'cancel' }, items)).toEqual({ delete: [1, 2] });
  });
  it('splits into batches the API takes', () => {
    expect(chunks([...Array(1001).keys()]).map((c) => c.length)).toEqual([500, 500, 1]);
  });
});
