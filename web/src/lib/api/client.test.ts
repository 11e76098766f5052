// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './client';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(reply: (call: Call) => Response) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(url), init: init ?? {} };
    calls.push(call);
    return reply(call);
  });
  return { fn: fn as unknown as typeof fetch, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const header = (call: Call, name: string) => (call.init.headers as Record<string, string>)[name];

describe('ApiClient', () => {
  it('sends the CSRF token on every state-changing method and not on GET', async () => {
    const f = fakeFetch(() => json(200, { ok: true }));
    const api = new ApiClient({ fetch: f.fn });
    api.csrfToken = 'tok';
    await api.get('/accounts');
    await api.post('/activities', { type: 'call' });
    await api.patch('/opportunities/7', { version: 1 });
    await api.put('/accounts/7/shares', { user_ids: [] });
    await api.delete('/contacts/3');
    expect(f.calls.map((c) => [c.init.method, header(c, 'X-CSRF-Token')])).toEqual([
      ['GET', undefined],
      ['POST', 'tok'],
      ['PATCH', 'tok'],
      ['PUT', 'tok'],
      ['DELETE', 'tok'],
    ]);
  });

  it('sends cookies same-origin, JSON bodies, and builds the URL', async () => {
    const f = fakeFetch(() => json(201, { id: 1 }));
    const api = new ApiClient({ fetch: f.fn });
    await api.post('/activities', { type: 'call' });
    await api.list('opportunities', { owner_id: 2, stage: ['propose', 'commit'], q: '' });
    expect(f.calls[0].init.credentials).toBe('same-origin');
    expect(f.calls[0].init.body).toBe('{"type":"call"}');
    expect(header(f.calls[0], 'Content-Type')).toBe('application/json');
    expect(f.calls[1].url).toBe('/api/v1/opportunities?owner_id=2&stage=propose,commit');
  });

  it('parses the error body into a typed ApiError with code, message and field', async () => {
    const f = fakeFetch(() => json(422, { error: { code: 'invalid', message: 'name is required', field: 'name' } }));
    const api = new ApiClient({ fetch: f.fn });
    const error = await api.post('/accounts', {}).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'invalid', message: 'name is required', field: 'name' });
  });

  it('reads 409 and 429 with Retry-After', async () => {
    const f = fakeFetch((c) =>
      c.url.includes('session')
        ? json(429, { error: { code: 'too_many_attempts', message: 'slow down' } }, { 'Retry-After': '840' })
        : json(409, { error: { code: 'conflict', message: 'stale version' } }),
    );
    const api = new ApiClient({ fetch: f.fn });
    expect(await api.patch('/opportunities/1', { version: 1 }).catch((e) => e)).toMatchObject({ status: 409, code: 'conflict' });
    expect(await api.request('POST', '/session', { body: {}, quiet401: true }).catch((e) => e)).toMatchObject({
      status: 429,
      code: 'too_many_attempts',
      retryAfter: 840,
    });
  });

  it('keeps the status when the error body is not JSON', async () => {
    const f = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = await new ApiClient({ fetch: f.fn }).get('/home').catch((e) => e);
    expect(error).toMatchObject({ status: 502, code: 'server_error', message: 'Bad Gateway' });
  });

  it('reports network failures as code "network"', async () => {
    const api = new ApiClient({ fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch });
    expect(await api.get('/home').catch((e) => e)).toMatchObject({ status: 0, code: 'network' });
  });

  it('calls onUnauthenticated on 401 and forgets the CSRF token', async () => {
    const f = fakeFetch(() => json(401, { error: { code: 'unauthenticated', message: 'sign in first' } }));
    const onUnauthenticated = vi.fn();
    const api = new ApiClient({ fetch: f.fn, onUnauthenticated });
    api.csrfToken = 'tok';
    const error = await api.get('/home').catch((e) => e);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(api.csrfToken).toBeNull();
  });

  it('does not redirect for a wrong password (quiet401)', async () => {
    const f = fakeFetch(() => json(401, { error: { code: 'unauthenticated', message: 'wrong e-mail or password' } }));
    const onUnauthenticated = vi.fn();
    const api = new ApiClient({ fetch: f.fn, onUnauthenticated });
    const error = (await api.request('POST', '/session', { body: {}, quiet401: true }).catch((e) => e)) as ApiError;
    expect(error.message).toBe('wrong e-mail or password');
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('returns undefined for 204', async () => {
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    expect(await new ApiClient({ fetch: f.fn }).delete('/session')).toBeUndefined();
  });
});
