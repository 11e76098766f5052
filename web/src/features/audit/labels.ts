// SPDX-License-Identifier: MIT
// Audit texts that need the current language: the report's scope.
import { session, t } from '../../lib/app.svelte';
import { parseScope } from './audit';

/** "The whole company", "Team Danmark Øst", "Anders Nielsen's items". */
export function scopeText(scope: string | null | undefined, nameOf: (email: string) => string | undefined): string {
  const s = parseScope(scope);
  if (s.kind === 'company') return t('audit.scopeCompany');
  if (s.kind === 'team') return t('audit.scopeTeam', { team: s.value });
  if (s.kind === 'rep') {
    const name = nameOf(s.value) ?? (s.value === session.user?.email ? session.user.name : s.value);
    return t('audit.scopeRep', { rep: name });
  }
  return s.value;
}
