// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { keepPair, pairKey } from './pair';

const items = [{ id: 1 }, { id: 2 }, { id: 3 }];
const latestTwo = (list: { id: number }[]): [number, number] | null =>
  list.length < 2 ? null : [list[list.length - 2].id, list[list.length - 1].id];

describe('keepPair', () => {
  it('keeps a pair that is still in the list', () => {
    expect(keepPair(items, 1, 3, latestTwo)).toEqual([1, 3]);
  });
  it('falls back when an id is gone, missing or both are the same', () => {
    expect(keepPair(items, 1, 9, latestTwo)).toEqual([2, 3]);
    expect(keepPair(items, null, 3, latestTwo)).toEqual([2, 3]);
    expect(keepPair(items, 2, 2, latestTwo)).toEqual([2, 3]);
  });
  it('is empty when the fallback has no pair', () => {
    expect(keepPair([{ id: 1 }], 1, 2, latestTwo)).toEqual([null, null]);
  });
});

describe('pairKey', () => {
  it('names two different ids, else is empty', () => {
    expect(pairKey(1, 2)).toBe('1-2');
    expect(pairKey(2, 2)).toBe('');
    expect(pairKey(null, 2)).toBe('');
  });
});
