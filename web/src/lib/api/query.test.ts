// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { buildQuery, offsetForPage, pageCount, parseQuery } from './query';

describe('buildQuery', () => {
  it('leaves out empty values and keeps order', () => {
    expect(buildQuery({ limit: 50, offset: 0, q: '', stage: undefined, owner_id: null, sort: '-close_date' })).toBe(
      '?limit=50&offset=0&sort=-close_date',
    );
  });
  it('joins arrays as any-of filters with plain commas', () => {
    expect(buildQuery({ stage: ['propose', 'commit'] })).toBe('?stage=propose,commit');
    expect(buildQuery({ stage: [] })).toBe('');
  });
  it('encodes names and values', () => {
    expect(buildQuery({ q: 'Nørre & Co' })).toBe('?q=N%C3%B8rre%20%26%20Co');
    expect(buildQuery({ overdue: true })).toBe('?overdue=true');
  });
  it('gives an empty string for nothing', () => {
    expect(buildQuery(undefined)).toBe('');
    expect(buildQuery({})).toBe('');
  });
  it('round-trips through parseQuery', () => {
    expect(parseQuery(buildQuery({ q: 'a b', stage: ['x', 'y'] }))).toEqual({ q: 'a b', stage: 'x,y' });
  });
  it('pages', () => {
    expect(offsetForPage(1, 50)).toBe(0);
    expect(offsetForPage(3, 50)).toBe(100);
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(101, 50)).toBe(3);
  });
});
