// SPDX-License-Identifier: MIT
// Numbers, money, dates and times through Intl, in the user's locale (da-DK, sv-SE, nb-NO, en-GB).
// Money arrives as `amount` in major units plus an ISO 4217 `currency` (docs/api.md).
import type { Locale, MoneyValue } from './api/types';

export const INTL_LOCALES: Record<Locale, string> = {
  en: 'en-GB',
  da: 'da-DK',
  sv: 'sv-SE',
  nb: 'nb-NO',
};

export function intlLocale(locale: Locale): string {
  return INTL_LOCALES[locale] ?? 'en-GB';
}

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(locale), options);
    cache.set(key, f);
  }
  return f;
}

export function formatNumber(value: number | null | undefined, locale: Locale, maxFractionDigits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return numberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(value);
}

/**
 * `1234567.5, 'DKK'` → "1.234.567,50 kr." (da), "DKK 1,234,567.50" (en). Whole amounts show no
 * decimals unless `decimals` is 'always'; 'never' rounds to whole units (dense tables, charts).
 */
export function formatMoney(
  amount: number | null | undefined,
  currency: string | null | undefined,
  locale: Locale,
  decimals: 'auto' | 'always' | 'never' = 'auto',
): string {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return '–';
  const code = (currency || '').toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return formatNumber(amount, locale, 2);
  const whole = Number.isInteger(amount);
  const digits = decimals === 'never' || (decimals === 'auto' && whole) ? 0 : 2;
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${formatNumber(amount, locale, 2)} ${code}`;
  }
}

/** Short form for chart axes and tiles: "1,2 mio. kr." (da), "DKK 1.2M" (en). */
export function formatMoneyCompact(amount: number, currency: string, locale: Locale): string {
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(amount);
  } catch {
    return formatMoney(amount, currency, locale, 'never');
  }
}

/** Several currencies (the API never sums across them): "DKK 1.2M · SEK 300k". */
export function formatMoneyList(values: MoneyValue[] | null | undefined, locale: Locale, compact = false): string {
  if (!values || values.length === 0) return formatNumber(0, locale);
  return values
    .map((v) => (compact ? formatMoneyCompact(v.amount, v.currency, locale) : formatMoney(v.amount, v.currency, locale, 'never')))
    .join(' · ');
}

export function formatPercent(fraction: number | null | undefined, locale: Locale): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '–';
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** Parses `YYYY-MM-DD` as a calendar date (no time zone shift); null when malformed. */
export function parseIsoDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** `2025-06-02` → "2 Jun 2025" (en), "2. jun. 2025" (da), "2 juni 2025" (sv), "2. juni 2025" (nb). */
export function formatDate(value: string | null | undefined, locale: Locale): string {
  const date = parseIsoDate(value);
  if (!date) return '–';
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A UTC instant (`2025-06-02T09:30:00Z`) in the browser's time zone. */
export function formatDateTime(value: string | null | undefined, locale: Locale, timeZone?: string): string {
  if (!value) return '–';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** "in 3 days", "2 days ago", "today" relative to `now`, by calendar day in UTC. */
export function formatRelativeDays(value: string | null | undefined, locale: Locale, now: Date = new Date()): string {
  const date = parseIsoDate(value);
  if (!date) return '';
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = Math.round((date.getTime() - today) / 86_400_000);
  return new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto' }).format(days, 'day');
}

/** The value for an `<input type="datetime-local">` showing `date` in local time. */
export function toDateTimeLocalValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `2025-06-02T11:30` (local) → `2025-06-02T09:30:00Z`; null when malformed. */
export function dateTimeLocalToUtc(value: string): string | null {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Today's calendar date as `YYYY-MM-DD` in local time. */
export function todayIso(now: Date = new Date()): string {
  return toDateTimeLocalValue(now).slice(0, 10);
}

/** `DK` → "Denmark" (en), "Danmark" (da); unknown codes come back as given. */
export function formatCountry(code: string | null | undefined, locale: Locale): string {
  if (!code) return '–';
  if (!/^[A-Za-z]{2}$/.test(code)) return code;
  try {
    return new Intl.DisplayNames([intlLocale(locale)], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
