// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { Account } from '../../lib/api/types';
import { accountPatch, accountToForm } from './accounts';

const a = { id: 7, version: 2, name: 'Jensen A/S', industry: 'Logistics', employees: 120, region: 'Sjælland', country: 'DK', org_number: '12345678', status: 'prospect' } as Account;

describe('account form', () => {
  it('sends only changed fields with the version', () => {
    const form = accountToForm(a);
    expect(accountPatch(a, form)).toEqual({ version: 2 });
    form.status = 'customer';
    form.employees = '1.250';
    form.name = ' Jensen Logistik A/S ';
    expect(accountPatch(a, form)).toEqual({ version: 2, status: 'customer', employees: 1250, name: 'Jensen Logistik A/S' });
  });
  it('clears employees with null', () => {
    const form = accountToForm(a);
    form.employees = '';
    expect(accountPatch(a, form)).toEqual({ version: 2, employees: null });
  });
});
