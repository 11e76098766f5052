// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { icpGroups, liftAxisMax, liftBars, scatterPoints, segmentRow, segmentRows } from './segments';
import type { IcpLift, SegmentRow, StrategyReport } from './types';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

function seg(over: Partial<SegmentRow> = {}): SegmentRow {
  return {
    segment_id: 2,
    name: 'Industrial mid-market',
    core: true,
    suggested_core: true,
    reason: 'margin per customer 2.80× the company’s',
    accounts: 227,
    customers: 149,
    won: 192,
    lost: 541,
    win_rate: 0.2619,
    median_cycle_days: 105,
    margin_per_customer_index: 2.7954,
    value_index: null,
    currencies: [
      { currency: 'SEK', customers: 50, margin: null, margin_pct: 0.331, margin_per_customer: { amount: 1500000.4, currency: 'SEK' } },
      { currency: 'DKK', customers: 48, margin: null, margin_pct: 0.3465, margin_per_customer: { amount: 1785979.92, currency: 'DKK' } },
    ],
    ...over,
  };
}

function table(segments: SegmentRow[]): Pick<StrategyReport, 'segment_table'> {
  return { segment_table: { company: seg({ segment_id: 0, name: '(company)', core: false }), rule: '', segments } };
}

function lift(value: string, l: number, customers = 100, top = 20): IcpLift {
  return { value, label: `x=${value}`, lift: l, customers, top_customers: top };
}

describe('segment table rows', () => {
  it('formats a segment: rates, days, index and money per currency (never added)', () => {
    const v = segmentRow(seg(), 'en');
    expect(v).toMatchObject({ id: 2, core: true, suggested: true, winRate: '26%', cycleDays: '105', customers: '149', index: '2.8×' });
    expect(v.currencies.map((c) => c.currency)).toEqual(['DKK', 'SEK']);
    expect(v.currencies[0].marginPct).toBe('35%');
    expect(nbsp(v.currencies[0].marginPerCustomer)).toBe('DKK 1,785,980');
    expect(nbsp(v.currencies[1].marginPerCustomer)).toBe('SEK 1,500,000');
    const da = segmentRow(seg({ margin_per_customer_index: null, median_cycle_days: null }), 'da');
    expect(da.index).toBe('–');
    expect(da.cycleDays).toBe('–');
    expect(nbsp(da.currencies[0].marginPerCustomer)).toBe('1.785.980 kr.');
  });

  it('lists core segments first, then by margin per customer', () => {
    const rows = segmentRows(
      table([
        seg({ segment_id: 1, name: 'Small', core: false, suggested_core: false, margin_per_customer_index: 0.1 }),
        seg({ segment_id: 5, name: 'Public', core: false, suggested_core: false, margin_per_customer_index: 0.7 }),
        seg({ segment_id: 4, name: 'Energy', margin_per_customer_index: 1.8 }),
        seg({ segment_id: 2, name: 'Industrial', margin_per_customer_index: 2.8 }),
      ]),
      'en',
    );
    expect(rows.map((r) => r.id)).toEqual([2, 4, 5, 1]);
    expect(segmentRows(null, 'en')).toEqual([]);
  });
});

describe('segment map points', () => {
  it('plots win rate against margin per customer, one point per segment, core marked', () => {
    const { basis, points } = scatterPoints(
      table([seg(), seg({ segment_id: 1, name: 'Small', core: false, suggested_core: true, win_rate: 0.25, margin_per_customer_index: 0.09 })]),
    );
    expect(basis).toBe('margin');
    expect(points).toEqual([
      { id: 2, name: 'Industrial mid-market', core: true, suggested: true, x: 0.2619, y: 2.7954 },
      { id: 1, name: 'Small', core: false, suggested: true, x: 0.25, y: 0.09 },
    ]);
  });

  it('uses the value index when every segment has one and skips segments without data', () => {
    expect(scatterPoints(table([seg({ value_index: 1.4 }), seg({ segment_id: 3, value_index: 0.6 })])).points.map((p) => p.y)).toEqual([1.4, 0.6]);
    const { basis, points } = scatterPoints(table([seg(), seg({ segment_id: 9, win_rate: null })]));
    expect(basis).toBe('margin');
    expect(points.map((p) => p.id)).toEqual([2]);
    expect(scatterPoints(undefined)).toEqual({ basis: 'margin', points: [] });
  });
});

describe('ideal customer profile bars', () => {
  it('sorts the lifts highest first, ties by support, and marks those above ×1', () => {
    const bars = liftBars([lift('DK', 0.997, 474), lift('NO', 1.005, 292), lift('SE', 0.9997, 413), lift('FI', 0.9997, 500)], 'en');
    expect(bars.map((b) => b.value)).toEqual(['NO', 'FI', 'SE', 'DK']);
    expect(bars.map((b) => b.above)).toEqual([true, false, false, false]);
    expect(bars[0]).toMatchObject({ liftText: '×1.01', customers: 292, topCustomers: 20 });
    expect(liftBars([lift('Logistics', 1.7236)], 'da')[0].liftText).toBe('×1,72');
    expect(liftBars(null, 'en')).toEqual([]);
  });

  it('groups the attributes in the page order and leaves out empty ones and segments', () => {
    const groups = icpGroups(
      {
        icp: {
          attributes: {
            segment: [lift('2', 3)],
            lead_source: [lift('web', 1.2)],
            industry: [lift('Construction', 0.85), lift('Manufacturing', 1.69)],
            region: [],
          },
          customers: 1179,
          top_customers: 237,
          top_share: 0.2,
          prior_strength: 10,
          value_basis: 'margin',
          error: null,
        },
      },
      'en',
    );
    expect(groups.map((g) => g.attribute)).toEqual(['industry', 'lead_source']);
    expect(groups[0].bars.map((b) => b.value)).toEqual(['Manufacturing', 'Construction']);
  });

  it('keeps the ×1.0 line inside the axis', () => {
    expect(liftAxisMax(liftBars([lift('a', 0.5)], 'en'))).toBe(2);
    expect(liftAxisMax(liftBars([lift('a', 3.66)], 'en'))).toBe(4);
  });
});
