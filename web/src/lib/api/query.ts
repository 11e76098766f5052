// SPDX-License-Identifier: MIT
// Query strings for list calls: `?limit=50&offset=0&sort=-close_date&stage=propose,commit`.
// Empty values are left out, arrays become comma-separated "any of" filters (docs/api.md).

export type QueryValue = string | number | boolean | null | undefined | (string | number)[];
export type QueryParams = Record<string, QueryValue>;

export function buildQuery(params: QueryParams | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined || raw === null || raw === '') continue;
    let value: string;
    if (Array.isArray(raw)) {
      if (raw.length === 0) continue;
      value = raw.map(String).join(',');
    } else {
      value = String(raw);
    }
    // Commas separate "any of" values: keep them readable rather than %2C.
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value).replace(/%2C/g, ',')}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Reads `?a=1&b=x` into a plain object (the last value of a repeated key wins). */
export function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  for (const [key, value] of params) out[key] = value;
  return out;
}

/** Page number (1-based) ↔ offset for a given page size. */
export function offsetForPage(page: number, limit: number): number {
  return Math.max(0, (Math.floor(page) - 1) * limit);
}

export function pageCount(total: number, limit: number): number {
  return Math.max(1, Math.ceil(total / limit));
}
