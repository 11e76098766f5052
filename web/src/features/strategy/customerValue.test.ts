// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../lib/api/query';
import {
  abcTiles,
  abcTone,
  currencies,
  customerRow,
  customerValueQuery,
  customerValueUrlParams,
  paramText,
  parseCustomerValueState,
} from './customerValue';
import type { CustomerValueRow } from './types';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

function row(over: Partial<CustomerValueRow> = {}): CustomerValueRow {
  return {
    id: 7,
    external_id: 'C-7',
    name: 'Nordlys A/S',
    currency: 'DKK',
    frequency: 4,
    recency: 40,
    T: 52,
    p_alive: 0.8734,
    expected_purchases: 3.456,
    expected_spend: 12345.67,
    clv: 42000.4,
    clv_minor: 4200040,
    abc_class: 'A',
    ...over,
  };
}

describe('customer value state and queries', () => {
  it('reads the URL with defaults and rejects junk', () => {
    expect(parseCustomerValueState({})).toEqual({ currency: '', offset: 0 });
    expect(parseCustomerValueState({ currency: 'sek', offset: '50' })).toEqual({ currency: 'SEK', offset: 50 });
    expect(parseCustomerValueState({ currency: 'kroner', offset: '-5' })).toEqual({ currency: '', offset: 0 });
    expect(parseCustomerValueState({ currency: 'NOK', offset: '1.5' })).toEqual({ currency: 'NOK', offset: 0 });
  });

  it('builds the API query and the URL for a page', () => {
    expect(buildQuery(customerValueQuery({ currency: '', offset: 0 }))).toBe('?limit=50&offset=0');
    expect(buildQuery(customerValueQuery({ currency: 'EUR', offset: 100 }))).toBe('?limit=50&offset=100&currency=EUR');
    expect(buildQuery(customerValueUrlParams({ currency: '', offset: 0 }))).toBe('');
    expect(buildQuery(customerValueUrlParams({ currency: 'DKK', offset: 50 }))).toBe('?currency=DKK&offset=50');
  });
});

describe('customer value rows and summaries', () => {
  const abc = {
    SEK: { A: 10, B: 20, C: 70, customers: 100, total_clv: 500000 },
    DKK: { A: 30, B: 40, C: 130, customers: 200, total_clv: 2500000.5 },
    EUR: { A: 1, B: 1, C: 1, customers: 3, total_clv: 500000 },
  };

  it('lists the currencies by code', () => {
    expect(currencies({ abc })).toEqual(['DKK', 'EUR', 'SEK']);
    expect(currencies({ abc: null })).toEqual([]);
    expect(currencies(null)).toEqual([]);
  });

  it('summarises ABC counts and total CLV per currency in the locale', () => {
    const tiles = abcTiles({ abc }, 'da');
    expect(tiles.map((t) => t.currency)).toEqual(['DKK', 'EUR', 'SEK']);
    expect(tiles[0]).toMatchObject({ A: 30, B: 40, C: 130, customers: 200 });
    expect(nbsp(tiles[0].totalClv)).toBe('2.500.001 kr.');
    expect(nbsp(abcTiles({ abc }, 'en')[1].totalClv)).toBe('€500,000');
  });

  it('formats a row: link, badge, P(alive) as %, money in the row currency', () => {
    const en = customerRow(row(), 'en');
    expect(en).toMatchObject({ id: 7, name: 'Nordlys A/S', href: '/accounts/7', abc: 'A', pAlive: '87%', expectedPurchases: '3.5' });
    expect(nbsp(en.expectedSpend)).toBe('DKK 12,346');
    expect(nbsp(en.clv)).toBe('DKK 42,000');
    const sv = customerRow(row({ currency: 'SEK', abc_class: 'C', p_alive: 0.05 }), 'sv');
    expect(nbsp(sv.clv)).toBe('42 000 kr');
    expect(nbsp(sv.pAlive)).toBe('5 %');
    expect(sv.expectedPurchases).toBe('3,5');
  });

  it('falls back for a missing name and an unknown class', () => {
    expect(customerRow(row({ name: '', abc_class: '' }), 'en')).toMatchObject({ name: 'C-7', abc: '' });
    expect(customerRow(row({ name: '', external_id: null }), 'en').name).toBe('#7');
  });

  it('colours the ABC badges and prints model parameters', () => {
    expect([abcTone('A'), abcTone('B'), abcTone('C'), abcTone('')]).toEqual(['green', 'blue', 'yellow', '']);
    expect(paramText(0.24321, 'en')).toBe('0.243');
    expect(paramText(4.4149, 'en')).toBe('4.41');
    expect(paramText(-1234.56, 'en')).toBe('-1,234.6');
    expect(paramText(null, 'en')).toBe('–');
    expect(paramText(Number.NaN, 'en')).toBe('–');
  });
});
