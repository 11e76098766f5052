// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  dateTimeLocalToUtc,
  formatCountry,
  formatDate,
  formatDateTime,
  formatMoney,
  formatMoneyCompact,
  formatMoneyList,
  formatNumber,
  formatPercent,
  formatRelativeDays,
  parseIsoDate,
} from './format';

// Intl uses narrow no-break spaces (U+202F) and no-break spaces (U+00A0): compare with plain ones.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it('formats DKK per locale', () => {
    expect(plain(formatMoney(1234567, 'DKK', 'da'))).toBe('1.234.567 kr.');
    expect(plain(formatMoney(1234567, 'DKK', 'en'))).toBe('DKK 1,234,567');
    expect(plain(formatMoney(1234567.5, 'DKK', 'da'))).toBe('1.234.567,50 kr.');
  });
  it('formats SEK in Swedish and NOK in Norwegian', () => {
    expect(plain(formatMoney(1234567, 'SEK', 'sv'))).toBe('1 234 567 kr');
    expect(plain(formatMoney(1234567, 'NOK', 'nb'))).toBe('1 234 567 kr');
    expect(plain(formatMoney(99.5, 'EUR', 'nb'))).toBe('99,50 €');
  });
  it('rounds to whole units when asked', () => {
    expect(plain(formatMoney(1234.56, 'EUR', 'en', 'never'))).toBe('€1,235');
    expect(plain(formatMoney(1234, 'EUR', 'en', 'always'))).toBe('€1,234.00');
  });
  it('handles missing values and bad currencies', () => {
    expect(formatMoney(null, 'DKK', 'da')).toBe('–');
    expect(formatMoney(undefined, 'DKK', 'da')).toBe('–');
    expect(plain(formatMoney(12.5, '', 'da'))).toBe('12,5');
  });
  it('compact form for tiles and axes', () => {
    expect(plain(formatMoneyCompact(1_200_000, 'DKK', 'en'))).toBe('DKK 1.2m');
    expect(plain(formatMoneyCompact(1_200_000, 'DKK', 'da'))).toMatch(/^1,2\s?mio\. kr\.$/);
  });
  it('lists several currencies without adding them up', () => {
    expect(plain(formatMoneyList([{ currency: 'DKK', amount: 1000 }, { currency: 'SEK', amount: 2000 }], 'en'))).toBe('DKK 1,000 · SEK 2,000');
    expect(formatMoneyList([], 'en')).toBe('0');
  });
});

describe('numbers', () => {
  it('groups digits per locale', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(1234567, 'da')).toBe('1.234.567');
    expect(plain(formatNumber(1234567, 'sv'))).toBe('1 234 567');
    expect(plain(formatNumber(1234567, 'nb'))).toBe('1 234 567');
    expect(formatNumber(null, 'en')).toBe('–');
  });
  it('percent from a fraction', () => {
    expect(formatPercent(0.4, 'en')).toBe('40%');
    expect(plain(formatPercent(0.4, 'da'))).toBe('40 %');
    expect(formatPercent(null, 'da')).toBe('–');
  });
});

describe('dates', () => {
  it('formats calendar dates without a time-zone shift', () => {
    expect(formatDate('2025-06-02', 'en')).toBe('2 Jun 2025');
    expect(formatDate('2025-06-02', 'da')).toBe('2. jun. 2025');
    expect(formatDate('2025-06-02', 'sv')).toBe('2 juni 2025');
    expect(formatDate('2025-06-02', 'nb')).toBe('2. juni 2025');
    expect(formatDate(null, 'en')).toBe('–');
    expect(formatDate('not a date', 'en')).toBe('–');
  });
  it('formats instants in a given zone', () => {
    expect(formatDateTime('2025-06-02T09:30:00Z', 'en', 'Europe/Copenhagen')).toBe('2 Jun 2025, 11:30');
    expect(formatDateTime('2025-06-02T09:30:00Z', 'da', 'Europe/Copenhagen')).toBe('2. jun. 2025, 11.30');
  });
  it('relative days', () => {
    const now = new Date('2025-06-02T12:00:00Z');
    expect(formatRelativeDays('2025-06-02', 'en', now)).toBe('today');
    expect(formatRelativeDays('2025-06-05', 'en', now)).toBe('in 3 days');
    expect(formatRelativeDays('2025-06-01', 'da', now)).toBe('i går');
  });
  it('parses ISO dates', () => {
    expect(parseIsoDate('2025-06-02')?.toISOString()).toBe('2025-06-02T00:00:00.000Z');
    expect(parseIsoDate('')).toBeNull();
  });
  it('turns a datetime-local value into a UTC instant', () => {
    const local = new Date(2025, 5, 2, 11, 30);
    expect(dateTimeLocalToUtc('2025-06-02T11:30')).toBe(local.toISOString().replace('.000', ''));
    expect(dateTimeLocalToUtc('')).toBeNull();
  });
  it('names countries in the user language', () => {
    expect(formatCountry('DK', 'en')).toBe('Denmark');
    expect(formatCountry('DK', 'da')).toBe('Danmark');
    expect(formatCountry('SE', 'nb')).toBe('Sverige');
    expect(formatCountry('', 'en')).toBe('–');
  });
});
