// SPDX-License-Identifier: MIT
// Account helpers shared by the list and detail pages.
import type { Account } from '../../lib/api/types';

/** Countries offered in the filter: the Nordics first, then the usual neighbours. */
export const COUNTRIES = ['DK', 'SE', 'NO', 'FI', 'IS', 'DE', 'NL', 'GB'] as const;

export function statusTone(status: Account['status'] | string | undefined): string {
  if (status === 'customer') return 'green';
  if (status === 'former') return '';
  return 'blue';
}

/** The fields an account form edits, and what changed against the stored record. */
export const EDITABLE_ACCOUNT_FIELDS = ['name', 'industry', 'employees', 'region', 'country', 'org_number', 'status'] as const;
export type AccountForm = Record<(typeof EDITABLE_ACCOUNT_FIELDS)[number], string>;

export function accountToForm(a: Account): AccountForm {
  return {
    name: a.name ?? '',
    industry: a.industry ?? '',
    employees: a.employees === null || a.employees === undefined ? '' : String(a.employees),
    region: a.region ?? '',
    country: a.country ?? '',
    org_number: a.org_number ?? '',
    status: a.status ?? 'prospect',
  };
}

/** The PATCH body: `version` plus only the fields that differ (employees as a number or null). */
export function accountPatch(a: Account, form: AccountForm): Record<string, unknown> {
  const before = accountToForm(a);
  const body: Record<string, unknown> = { version: a.version };
  for (const field of EDITABLE_ACCOUNT_FIELDS) {
    const value = form[field].trim();
    if (value === before[field].trim()) continue;
    if (field === 'employees') body.employees = value === '' ? null : Number(value.replace(/[\s.,]/g, ''));
    else body[field] = value;
  }
  return body;
}
