// SPDX-License-Identifier: MIT
// Display names for referenced records. Records carry only ids (and external ids) of what they
// reference, so account and user names are looked up once and cached for the session.
import { api } from './app.svelte';
import type { Account, ListPage, User } from './api/types';

export const names = $state({
  accounts: {} as Record<number, string>,
  users: {} as Record<number, string>,
});

let usersPromise: Promise<User[]> | null = null;
const pendingAccounts = new Set<number>();
const requestedAccounts = new Set<number>();
let flushScheduled = false;

/** Every user the caller may see (cached; an empty list when the role may not list users). */
export function loadUsers(): Promise<User[]> {
  if (!usersPromise) {
    usersPromise = api
      .list<User>('users', { limit: 500, sort: 'name' })
      .then((page: ListPage<User>) => {
        for (const u of page.items) names.users[u.id] = u.name;
        return page.items;
      })
      .catch(() => [] as User[]);
  }
  return usersPromise;
}

export function rememberAccounts(accounts: Pick<Account, 'id' | 'name'>[]): void {
  for (const a of accounts) {
    if (a && a.id && a.name) {
      names.accounts[a.id] = a.name;
      requestedAccounts.add(a.id);
    }
  }
}

export function resetLookups(): void {
  usersPromise = null;
  bulkLoaded = null;
  names.accounts = {};
  names.users = {};
  requestedAccounts.clear();
  pendingAccounts.clear();
}

let bulkLoaded: Promise<void> | null = null;

/**
 * Records carry only `account_id`, so a board of 100 cards would need 100 look-ups. The first
 * time many names are missing, one list call fetches the first 500 accounts the user may see
 * (a rep's or a team's whole book); only what is still unknown is fetched one by one.
 */
function loadAccountPage(): Promise<void> {
  if (!bulkLoaded) {
    bulkLoaded = api
      .list<Account>('accounts', { limit: 500, sort: 'name' })
      .then((page) => rememberAccounts(page.items))
      .catch(() => undefined);
  }
  return bulkLoaded;
}

async function flushAccounts(): Promise<void> {
  flushScheduled = false;
  if (pendingAccounts.size >= 8 || bulkLoaded) await loadAccountPage();
  const ids = [...pendingAccounts].filter((id) => !names.accounts[id]);
  pendingAccounts.clear();
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        const account = await api.get<Account>(`/accounts/${id}`);
        names.accounts[id] = account.name;
      } catch {
        // Not visible or gone: keep showing the reference the record carries.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, ids.length) }, worker));
}

/** The account's name if known; otherwise starts a look-up and returns `fallback` for now. */
export function accountName(id: number | null | undefined, fallback = ''): string {
  if (!id) return fallback;
  const known = names.accounts[id];
  if (known) return known;
  if (!requestedAccounts.has(id)) {
    requestedAccounts.add(id);
    pendingAccounts.add(id);
    if (!flushScheduled) {
      flushScheduled = true;
      setTimeout(() => void flushAccounts(), 0);
    }
  }
  return fallback;
}

/** The user's name if known (after loadUsers), else the e-mail the record carries. */
export function userName(id: number | null | undefined, fallback = ''): string {
  if (!id) return fallback;
  return names.users[id] ?? fallback;
}
