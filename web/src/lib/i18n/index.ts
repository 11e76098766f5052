// SPDX-License-Identifier: MIT
// Message lookup for the four UI languages. Pure functions; the reactive wrapper is i18n.svelte.ts.
import type { Locale } from '../api/types';
import { da } from './da';
import { en, type MessageKey, type Messages } from './en';
import { nb } from './nb';
import { sv } from './sv';

export type { MessageKey, Messages };

export const LOCALES: readonly Locale[] = ['en', 'da', 'sv', 'nb'];

/** Each language's name in itself, for the language menu. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  da: 'Dansk',
  sv: 'Svenska',
  nb: 'Norsk bokmål',
};

export const CATALOGS: Record<Locale, Messages> = { en, da, sv, nb };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type Params = Record<string, string | number>;

export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const catalog = CATALOGS[locale] ?? en;
  return interpolate(catalog[key] ?? en[key] ?? key, params);
}

/** For enum values from the API (`stage.closed_won`): falls back to the raw value. */
export function translateEnum(locale: Locale, prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  const key = `${prefix}.${value}` as MessageKey;
  const catalog = CATALOGS[locale] ?? en;
  return interpolate(catalog[key] ?? en[key] ?? value.replace(/_/g, ' '));
}

/** The browser's preferred language among ours (used before sign-in). */
export function guessLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const base = lang.toLowerCase().split('-')[0];
    if (base === 'no' || base === 'nn') return 'nb';
    if (isLocale(base)) return base;
  }
  return 'en';
}
