// SPDX-License-Identifier: MIT
// The only caller of fetch in the app. Sends the session cookie (same origin) and the CSRF token
// on state-changing requests, turns the server's JSON errors into ApiError, and reports 401 so the
// app can go to /signin.
import { buildQuery, type QueryParams } from './query';
import type { ListPage } from './types';

export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'invalid'
  | 'too_many_attempts'
  | 'server_error'
  | 'network'
  | string;

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly field?: string;
  /** Seconds from the Retry-After header (429), when given. */
  readonly retryAfter?: number;

  constructor(status: number, code: ErrorCode, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 405: return 'method_not_allowed';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 422: return 'invalid';
    case 429: return 'too_many_attempts';
    default: return 'server_error';
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const when = Date.parse(value);
  if (Number.isNaN(when)) return undefined;
  return Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

/** Builds an ApiError from a non-2xx response; never throws itself. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  let text = '';
  try {
    text = await res.text();
  } catch {
    // The body could not be read: fall through to the status alone.
  }
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; field?: string } };
    if (body && typeof body === 'object' && body.error && typeof body.error === 'object') {
      const { code, message, field } = body.error;
      return new ApiError(
        res.status,
        code || codeForStatus(res.status),
        message || res.statusText || `HTTP ${res.status}`,
        field || undefined,
        retryAfter,
      );
    }
  } catch {
    // Not JSON (a proxy's error page): keep the status.
  }
  return new ApiError(res.status, codeForStatus(res.status), res.statusText || `HTTP ${res.status}`, undefined, retryAfter);
}

export interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  /** Do not call onUnauthenticated for a 401 (sign-in and the start-up session check). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  base?: string;
  onUnauthenticated?: () => void;
}

export class ApiClient {
  csrfToken: string | null = null;
  private readonly fetchImpl: typeof fetch;
  private readonly base: string;
  onUnauthenticated: (() => void) | undefined;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.base = options.base ?? '/api/v1';
    this.onUnauthenticated = options.onUnauthenticated;
  }

  url(path: string, query?: QueryParams): string {
    return `${this.base}${path.startsWith('/') ? path : `/${path}`}${buildQuery(query)}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (MUTATING.has(method) && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;

    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path, options.query), init);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) {
      const error = await errorFromResponse(res);
      if (res.status === 401 && !options.quiet401) {
        this.csrfToken = null;
        this.onUnauthenticated?.();
      }
      throw error;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, 'server_error', 'The server sent a reply that is not JSON');
    }
  }

  get<T>(path: string, query?: QueryParams, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }
  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** `GET /api/v1/{kind}?...` → a page of records. */
  list<T>(kind: string, query?: QueryParams, signal?: AbortSignal): Promise<ListPage<T>> {
    return this.get<ListPage<T>>(`/${kind}`, query, signal);
  }
}
