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
  pagesLoaded = 0;
  pagesTotal = Infinity;
  names.accounts = {};
  names.users = {};
  requestedAccounts.clear();
  pendingAccounts.clear();
}

let pagesLoaded = 0;
let pagesTotal = Infinity;
let pageLoad: Promise<void> | null = null;
const PAGE = 500;
const MAX_PAGES = 6;

/** The next page of 500 accounts the user may see, sorted by name (one at a time). */
function loadNextAccountPage(): Promise<void> {
  if (!pageLoad) {
    const offset = pagesLoaded * PAGE;
    pageLoad = api
      .list<Account>('accounts', { limit: PAGE, offset, sort: 'name' })
      .then((page) => {
        rememberAccounts(page.items);
        pagesLoaded += 1;
        pagesTotal = Math.ceil(page.total / PAGE);
      })
      .catch(() => {
        pagesTotal = pagesLoaded; // stop paging; single look-ups still work
      })
      .finally(() => {
        pageLoad = null;
      });
  }
  return pageLoad;
}

/**
 * Records carry only `account_id`, so a board of 500 cards would need hundreds of look-ups.
 * When many names are missing, list calls of 500 accounts fetch the user's book (a rep's or a
 * team's in one call, the whole company in a few); what is still unknown is fetched one by one.
 */
async function flushAccounts(): Promise<void> {
  flushScheduled = false;
  const unknown = () => [...pendingAccounts].filter((id) => !names.accounts[id]);
  while (unknown().length >= 8 && pagesLoaded < Math.min(pagesTotal, MAX_PAGES)) await loadNextAccountPage();
  const ids = unknown();
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
