// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { parseLocaleNumber, recordBody, type FieldDef } from './newRecord';

describe('numbers as the user writes them', () => {
  it('reads each language’s grouping and decimals', () => {
    expect(parseLocaleNumber('12.500,50', 'da')).toBe(12500.5);
    expect(parseLocaleNumber('12 500,5', 'sv')).toBe(12500.5);
    expect(parseLocaleNumber('1.250.000', 'nb')).toBe(1250000);
    expect(parseLocaleNumber('1,250,000.25', 'en')).toBe(1250000.25);
    expect(parseLocaleNumber('250', 'da')).toBe(250);
    expect(parseLocaleNumber('-5', 'en')).toBe(-5);
  });
  it('gives up on what is not a number', () => {
    expect(parseLocaleNumber('ten', 'en')).toBeNull();
    expect(parseLocaleNumber('1,2,3', 'da')).toBeNull();
    expect(parseLocaleNumber('', 'da')).toBeNull();
  });
});

describe('the POST body', () => {
  const fields: FieldDef[] = [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'amount', label: 'Amount', kind: 'number' },
    { name: 'account', label: 'Account', kind: 'account' },
    { name: 'close_date', label: 'Close', kind: 'date' },
  ];
  it('sends what was filled in, numbers as numbers', () => {
    expect(recordBody(fields, { name: ' Pilot ', amount: '12.500', close_date: '' }, 'da')).toEqual({ name: 'Pilot', amount: 12500 });
  });
  it('sends an unreadable number as typed, for the server to name', () => {
    expect(recordBody(fields, { name: 'Pilot', amount: 'lots' }, 'en')).toEqual({ name: 'Pilot', amount: 'lots' });
  });
  it('leaves out empty fields, so a missing name is the server’s to report', () => {
    expect(recordBody(fields, { name: '  ' }, 'en')).toEqual({});
  });
});
