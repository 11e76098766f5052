// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { CATALOGS, LOCALES, guessLocale, interpolate, translate, translateEnum } from './index';
import { en } from './en';

const keys = Object.keys(en).sort();
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogs', () => {
  for (const locale of LOCALES) {
    it(`${locale} defines exactly the English keys`, () => {
      const have = Object.keys(CATALOGS[locale]).sort();
      const missing = keys.filter((k) => !have.includes(k));
      const extra = have.filter((k) => !keys.includes(k));
      expect(missing, `missing in ${locale}`).toEqual([]);
      expect(extra, `unknown in ${locale}`).toEqual([]);
    });
    it(`${locale} has no empty text and the same {parameters} as English`, () => {
      const catalog = CATALOGS[locale] as Record<string, string>;
      for (const key of keys) {
        expect(catalog[key]?.trim(), `${locale} ${key}`).toBeTruthy();
        expect(params(catalog[key]), `${locale} ${key}`).toEqual(params((en as Record<string, string>)[key]));
      }
    });
  }

  it('the Nordic catalogs are real translations, not copies of English', () => {
    for (const locale of ['da', 'sv', 'nb'] as const) {
      const catalog = CATALOGS[locale] as Record<string, string>;
      const same = keys.filter((k) => catalog[k] === (en as Record<string, string>)[k]);
      // Brand names, "Demo", "Leads", "Status", "ABC" ... may stay the same; most text may not.
      expect(same.length / keys.length, `${locale}: ${same.join(', ')}`).toBeLessThan(0.15);
    }
  });

  it('translates with parameters', () => {
    expect(translate('en', 'home.morning', { name: 'Anders' })).toBe('Good morning, Anders');
    expect(translate('da', 'home.morning', { name: 'Anders' })).toBe('Godmorgen, Anders');
    expect(translate('sv', 'nav.opportunities')).toBe('Affärsmöjligheter');
    expect(translate('nb', 'nav.settings')).toBe('Innstillinger');
  });

  it('interpolate leaves unknown parameters alone', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('translates enum values and falls back to the raw value', () => {
    expect(translateEnum('da', 'stage', 'closed_won')).toBe('Vundet');
    expect(translateEnum('en', 'stage', 'some_new_stage')).toBe('some new stage');
    expect(translateEnum('en', 'stage', '')).toBe('–');
  });

  it('guesses the browser language', () => {
    expect(guessLocale(['da-DK', 'en'])).toBe('da');
    expect(guessLocale(['nn-NO'])).toBe('nb');
    expect(guessLocale(['no'])).toBe('nb');
    expect(guessLocale(['sv-FI'])).toBe('sv');
    expect(guessLocale(['de-DE', 'fr'])).toBe('en');
  });
});
