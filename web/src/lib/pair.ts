// SPDX-License-Identifier: MIT
// The two items of a list compared with each other (forecast snapshots, audit runs): `from` and `to` by id.

export type Pair = [from: number | null, to: number | null];

/** The pair kept while both ids are still in the list and differ; otherwise `fallback`'s pair, or none. */
export function keepPair<T extends { id: number }>(
  items: T[],
  from: number | null,
  to: number | null,
  fallback: (items: T[]) => [number, number] | null,
): Pair {
  const ids = new Set(items.map((item) => item.id));
  if (from && to && ids.has(from) && ids.has(to) && from !== to) return [from, to];
  const pair = fallback(items);
  return [pair?.[0] ?? null, pair?.[1] ?? null];
}

/** A key that changes with the pair; '' while the two are not both picked and different. */
export function pairKey(from: number | null, to: number | null): string {
  return from && to && from !== to ? `${from}-${to}` : '';
}
