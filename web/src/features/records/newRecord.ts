// SPDX-License-Identifier: MIT
// The "New" forms' fields and the POST body made from what the user typed: numbers read in the
// user's language ("12.500,50" in Danish), anything unreadable sent as typed so that the server
// answers with its own message for that field.
import type { Locale } from '../../lib/api/types';

export interface FieldDef {
  /** The API field ("name", "amount", "close_date"); for kind 'account' the body gets account_id. */
  name: string;
  label: string;
  kind: 'text' | 'number' | 'date' | 'email' | 'select' | 'account';
  options?: { value: string; label: string }[];
  required?: boolean;
  initial?: string;
  /** Takes the form's whole width. */
  wide?: boolean;
}

/** `12.500,5` (da) → 12500.5; null when the text is not a number in `locale`'s writing. */
export function parseLocaleNumber(text: string, locale: Locale): number | null {
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!t) return null;
  // Danish and Norwegian group with '.', write decimals with ','; Swedish groups with a space;
  // English groups with ',' and writes decimals with '.'.
  const comma = locale !== 'en';
  const normal = comma ? t.replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.') : t.replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(normal)) return null;
  return Number(normal);
}

/** The POST body: every field the user filled in; numbers as numbers when readable. */
export function recordBody(fields: FieldDef[], values: Record<string, string>, locale: Locale = 'en'): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.kind === 'account') continue;
    const value = (values[f.name] ?? '').trim();
    if (!value) continue;
    if (f.kind === 'number') {
      const n = parseLocaleNumber(value, locale);
      body[f.name] = n ?? value;
    } else body[f.name] = value;
  }
  return body;
}
