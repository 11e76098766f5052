// SPDX-License-Identifier: MIT
// Pure logic of the Customer value page: the URL state, the API query, the currencies, the rows
// as the table shows them, and the summaries per currency.
import type { Locale } from '../../lib/api/types';
import { formatMoney, formatNumber, formatPercent } from '../../lib/format';
import type { AbcSummary, CustomerValueReport, CustomerValueRow } from './types';

export const PAGE_SIZE = 50;

export interface CustomerValueState {
  currency: string; // '' = every currency
  offset: number;
}

/** `?currency=dkk&offset=50` → { currency: 'DKK', offset: 50 }; junk falls back to the defaults. */
export function parseCustomerValueState(query: Record<string, string | undefined>): CustomerValueState {
  const cur = (query.currency ?? '').toUpperCase();
  const off = Number(query.offset);
  return {
    currency: /^[A-Z]{3}$/.test(cur) ? cur : '',
    offset: Number.isInteger(off) && off > 0 ? off : 0,
  };
}

/** The API's parameters for one page. */
export function customerValueQuery(state: CustomerValueState, limit = PAGE_SIZE): Record<string, string | number> {
  const q: Record<string, string | number> = { limit, offset: state.offset };
  if (state.currency) q.currency = state.currency;
  return q;
}

/** The URL's query for a state: defaults left out. */
export function customerValueUrlParams(state: CustomerValueState): Record<string, string | number> {
  const q: Record<string, string | number> = {};
  if (state.currency) q.currency = state.currency;
  if (state.offset > 0) q.offset = state.offset;
  return q;
}

/** The currencies of the report by code (amounts in different currencies are not compared). */
export function currencies(report: Pick<CustomerValueReport, 'abc'> | null | undefined): string[] {
  return Object.keys(report?.abc ?? {}).sort((x, y) => x.localeCompare(y));
}

export interface AbcTile {
  currency: string;
  A: number;
  B: number;
  C: number;
  customers: number;
  totalClv: string;
}

export function abcTiles(report: Pick<CustomerValueReport, 'abc'> | null | undefined, locale: Locale): AbcTile[] {
  const abc = report?.abc ?? {};
  return currencies(report).map((currency) => {
    const s: AbcSummary = abc[currency];
    return {
      currency,
      A: s.A ?? 0,
      B: s.B ?? 0,
      C: s.C ?? 0,
      customers: s.customers ?? (s.A ?? 0) + (s.B ?? 0) + (s.C ?? 0),
      totalClv: formatMoney(s.total_clv, currency, locale, 'never'),
    };
  });
}

export interface CustomerValueView {
  id: number;
  name: string;
  href: string;
  currency: string;
  abc: 'A' | 'B' | 'C' | '';
  pAlive: string;
  expectedPurchases: string;
  expectedSpend: string;
  clv: string;
}

const ABC = new Set(['A', 'B', 'C']);

/** A customer as the table shows it: P(alive) as a percentage, money in the row's own currency. */
export function customerRow(c: CustomerValueRow, locale: Locale): CustomerValueView {
  return {
    id: c.id,
    name: c.name || c.external_id || `#${c.id}`,
    href: `/accounts/${c.id}`,
    currency: c.currency,
    abc: ABC.has(c.abc_class) ? (c.abc_class as 'A' | 'B' | 'C') : '',
    pAlive: formatPercent(c.p_alive, locale),
    expectedPurchases: formatNumber(c.expected_purchases, locale, 1),
    expectedSpend: formatMoney(c.expected_spend, c.currency, locale, 'never'),
    clv: formatMoney(c.clv, c.currency, locale, 'never'),
  };
}

/** The pill colour of an ABC class. */
export function abcTone(abc: string): 'green' | 'blue' | 'yellow' | '' {
  return abc === 'A' ? 'green' : abc === 'B' ? 'blue' : abc === 'C' ? 'yellow' : '';
}

/** A number for the "How this is computed" box: a few significant digits. */
export function paramText(value: number | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return formatNumber(value, locale, digits);
}
