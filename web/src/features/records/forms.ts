// SPDX-License-Identifier: MIT
// The fields of the "New" forms for accounts, deals and contacts, in the user's language.
import { fmt, t, te, ui } from '../../lib/app.svelte';
import { STAGES } from '../../lib/api/types';
import { todayIso } from '../../lib/format';
import { COUNTRIES } from '../accounts/accounts';
import type { FieldDef } from './newRecord';

const BUYING_ROLES = ['economic_buyer', 'decision_maker', 'champion', 'influencer', 'user', 'technical', 'coach', 'blocker'];
const CURRENCIES = ['DKK', 'SEK', 'NOK', 'EUR', 'USD'];

export function accountFields(): FieldDef[] {
  return [
    { name: 'name', label: t('accounts.name'), kind: 'text', required: true, wide: true },
    { name: 'industry', label: t('accounts.industry'), kind: 'text' },
    { name: 'employees', label: t('accounts.employees'), kind: 'number' },
    {
      name: 'country',
      label: t('accounts.country'),
      kind: 'select',
      options: [{ value: '', label: '–' }, ...COUNTRIES.map((c) => ({ value: c, label: fmt.country(c) }))],
    },
    { name: 'org_number', label: t('accounts.orgNumber'), kind: 'text' },
    {
      name: 'status',
      label: t('accounts.status'),
      kind: 'select',
      initial: 'prospect',
      options: ['prospect', 'customer', 'former'].map((s) => ({ value: s, label: te('accountStatus', s) })),
    },
  ];
}

/** A deal's fields; with `pickAccount` the user chooses the account (on an account's page it is given). */
export function dealFields(pickAccount: boolean): FieldDef[] {
  const home = ui.locale === 'sv' ? 'SEK' : ui.locale === 'nb' ? 'NOK' : 'DKK';
  const inQuarter = new Date();
  inQuarter.setDate(inQuarter.getDate() + 90);
  const fields: FieldDef[] = [{ name: 'name', label: t('opps.name'), kind: 'text', required: true, wide: true }];
  if (pickAccount) fields.push({ name: 'account', label: t('opps.account'), kind: 'account', required: true, wide: true });
  fields.push(
    {
      name: 'stage',
      label: t('opps.stage'),
      kind: 'select',
      required: true,
      initial: 'qualify',
      options: STAGES.filter((s) => !s.startsWith('closed')).map((s) => ({ value: s, label: te('stage', s) })),
    },
    { name: 'amount', label: t('opps.amount'), kind: 'number' },
    { name: 'currency', label: t('new.currency'), kind: 'select', initial: home, options: CURRENCIES.map((c) => ({ value: c, label: c })) },
    { name: 'close_date', label: t('opps.closeDate'), kind: 'date', initial: todayIso(inQuarter) },
  );
  return fields;
}

export function contactFields(): FieldDef[] {
  return [
    { name: 'name', label: t('contact.name'), kind: 'text', required: true },
    { name: 'title', label: t('contact.title'), kind: 'text' },
    { name: 'email', label: t('contact.email'), kind: 'email' },
    { name: 'phone', label: t('contact.phone'), kind: 'text' },
    {
      name: 'buying_role',
      label: t('contact.role'),
      kind: 'select',
      options: [{ value: '', label: '–' }, ...BUYING_ROLES.map((r) => ({ value: r, label: te('buyingRole', r) }))],
    },
    {
      name: 'relationship_strength',
      label: t('contact.strength'),
      kind: 'select',
      options: [{ value: '', label: '–' }, ...[0, 1, 2, 3, 4].map((n) => ({ value: String(n), label: fmt.number(n) }))],
    },
  ];
}
