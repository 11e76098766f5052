// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { matchRoute, shouldRouteClick } from './router';
import { ROUTES } from '../routes';

describe('matchRoute', () => {
  it('matches the app routes', () => {
    expect(matchRoute('/', ROUTES)).toEqual({ name: 'home', params: {} });
    expect(matchRoute('/accounts', ROUTES)?.name).toBe('accounts');
    expect(matchRoute('/accounts/7', ROUTES)).toEqual({ name: 'account', params: { id: '7' } });
    expect(matchRoute('/accounts/7/', ROUTES)).toEqual({ name: 'account', params: { id: '7' } });
    expect(matchRoute('/opportunities/42', ROUTES)).toEqual({ name: 'opportunity', params: { id: '42' } });
    expect(matchRoute('/board', ROUTES)?.name).toBe('board');
    expect(matchRoute('/customer-value', ROUTES)?.name).toBe('customerValue');
    expect(matchRoute('/segments', ROUTES)?.name).toBe('segments');
    expect(matchRoute('/signin', ROUTES)?.name).toBe('signin');
    expect(matchRoute('/nope', ROUTES)).toBeNull();
    expect(matchRoute('/accounts/7/extra', ROUTES)).toBeNull();
  });
});

describe('shouldRouteClick', () => {
  const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
  const a = (href: string, attrs: string[] = [], target = '') => ({ href, target, hasAttribute: (n: string) => attrs.includes(n) });
  it('routes plain same-origin clicks', () => {
    expect(shouldRouteClick(click, a('http://x.test/accounts'), 'http://x.test')).toBe(true);
  });
  it('leaves other clicks to the browser', () => {
    expect(shouldRouteClick({ ...click, ctrlKey: true }, a('http://x.test/a'), 'http://x.test')).toBe(false);
    expect(shouldRouteClick(click, a('http://other.test/a'), 'http://x.test')).toBe(false);
    expect(shouldRouteClick(click, a('http://x.test/a', [], '_blank'), 'http://x.test')).toBe(false);
    expect(shouldRouteClick(click, a('mailto:x@y.z', ['data-external']), 'http://x.test')).toBe(false);
    expect(shouldRouteClick(click, a('http://x.test/api/v1/export'), 'http://x.test')).toBe(false);
  });
});
