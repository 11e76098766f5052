// SPDX-License-Identifier: MIT
// Path-based routes (`/accounts/7`): patterns with `:name` segments matched against a path.

export interface RouteMatch<N extends string = string> {
  name: N;
  params: Record<string, string>;
}

export interface RouteDef<N extends string = string> {
  name: N;
  pattern: string;
}

function normalise(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function matchRoute<N extends string>(path: string, routes: readonly RouteDef<N>[]): RouteMatch<N> | null {
  const segments = normalise(path);
  for (const route of routes) {
    const parts = normalise(route.pattern);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const segment = segments[i];
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          ok = false;
          break;
        }
      } else if (part !== segment) {
        ok = false;
        break;
      }
    }
    if (ok) return { name: route.name, params };
  }
  return null;
}

/** True for a plain left click on a same-origin link the app should route itself. */
export function shouldRouteClick(
  event: Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'defaultPrevented'>,
  anchor: { href: string; target: string; hasAttribute(name: string): boolean },
  origin: string,
): boolean {
  if (event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  if (anchor.target && anchor.target !== '_self') return false;
  if (anchor.hasAttribute('download') || anchor.hasAttribute('data-external')) return false;
  let url: URL;
  try {
    url = new URL(anchor.href);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  return !url.pathname.startsWith('/api/');
}
