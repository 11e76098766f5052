// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { Opportunity } from '../../lib/api/types';
import { opportunityPatch, opportunityToForm, parseAmount } from './opportunity';

const o = { id: 1, version: 3, name: 'X', account_id: 1, stage: 'propose', amount: 1000, currency: 'DKK', probability: 0.4, close_date: '2025-07-01', next_step: '', next_step_date: null } as Opportunity;

describe('opportunity form', () => {
  it('sends only what changed, with the version', () => {
    const form = opportunityToForm(o);
    expect(opportunityPatch(o, form)).toEqual({ version: 3 });
    form.stage = 'negotiate';
    form.probability = '60';
    form.amount = '1.250,50';
    expect(opportunityPatch(o, form)).toEqual({ version: 3, stage: 'negotiate', probability: 0.6, amount: 1250.5 });
  });
  it('parses amounts written the Nordic or English way', () => {
    expect(parseAmount('1.234,50')).toBe(1234.5);
    expect(parseAmount('1 234,50')).toBe(1234.5);
    expect(parseAmount('1,234.50')).toBe(1234.5);
    expect(parseAmount('kr 1.234')).toBe(1234);
    expect(parseAmount('')).toBeNull();
  });
});
