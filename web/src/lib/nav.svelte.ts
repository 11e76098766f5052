// SPDX-License-Identifier: MIT
// The current location as reactive state, and navigation through the History API.
import { parseQuery } from './api/query';
import { shouldRouteClick } from './router';

export const location = $state({
  path: typeof window === 'undefined' ? '/' : window.location.pathname,
  query: typeof window === 'undefined' ? ({} as Record<string, string>) : parseQuery(window.location.search),
});

function sync(): void {
  location.path = window.location.pathname;
  location.query = parseQuery(window.location.search);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState({}, '', to);
  else window.history.pushState({}, '', to);
  sync();
  window.scrollTo(0, 0);
}

/** Rewrites the query string of the current page without a new history entry. */
export function replaceQuery(query: string): void {
  const to = `${window.location.pathname}${query}`;
  if (to !== `${window.location.pathname}${window.location.search}`) {
    window.history.replaceState({}, '', to);
    location.query = parseQuery(window.location.search);
  }
}

export function startRouter(): void {
  window.addEventListener('popstate', sync);
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || !(anchor instanceof HTMLAnchorElement)) return;
    if (!shouldRouteClick(event, anchor, window.location.origin)) return;
    event.preventDefault();
    const url = new URL(anchor.href);
    navigate(url.pathname + url.search);
  });
}
