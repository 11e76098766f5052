// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { ApiError } from './api/client';
import { errorText, te, t, ui } from './app.svelte';

describe('errorText', () => {
  it('says when to try again after too many sign-in attempts', () => {
    ui.locale = 'en';
    expect(errorText(new ApiError(429, 'too_many_attempts', 'slow down', undefined, 840))).toBe(
      'Too many failed attempts. Try again in 14 min.',
    );
    ui.locale = 'da';
    expect(errorText(new ApiError(429, 'too_many_attempts', 'slow down', undefined, 60))).toBe(
      'For mange mislykkede forsøg. Prøv igen om 1 min.',
    );
  });
  it('shows the server message otherwise, and a translated text for network errors', () => {
    ui.locale = 'en';
    expect(errorText(new ApiError(401, 'unauthenticated', 'wrong e-mail or password'))).toBe('wrong e-mail or password');
    expect(errorText(new ApiError(0, 'network', 'Failed to fetch'))).toBe(t('error.network'));
    expect(errorText(new Error(''))).toBe('Something went wrong.');
  });
  it("says in the user's language when the database cannot save", () => {
    ui.locale = 'nb';
    expect(errorText(new ApiError(503, 'disk_full', 'the disk is full; nothing was saved'))).toBe(t('error.diskFull'));
    expect(t('error.diskFull')).toContain('disk er full');
    ui.locale = 'sv';
    expect(errorText(new ApiError(503, 'read_only', 'read-only'))).toBe(t('error.readOnly'));
    expect(errorText(new ApiError(503, 'unavailable', 'busy'))).toBe('Databasen är upptagen. Försök igen om en stund.');
    ui.locale = 'en';
  });
  it('follows the current language', () => {
    ui.locale = 'sv';
    expect(te('stage', 'propose')).toBe('Offert');
    expect(t('nav.board')).toBe('Pipeline-tavla');
    ui.locale = 'en';
  });
});
