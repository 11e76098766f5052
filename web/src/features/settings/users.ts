// SPDX-License-Identifier: MIT
import type { User } from '../../lib/api/types';

/** `active` as the API sends it (boolean, or a CSV-like "true"/"false"/1/0). */
export function isActive(u: Pick<User, 'active'>): boolean {
  const v = u.active;
  if (v === undefined || v === null) return true;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return !['false', '0', 'no', ''].includes(String(v).toLowerCase());
}
