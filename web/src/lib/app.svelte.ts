// SPDX-License-Identifier: MIT
// App-wide reactive state: the signed-in user, the UI language, toasts, and the API client that
// sends the user to /signin when the session ends.
import { ApiClient, ApiError, isApiError } from './api/client';
import type { Locale, SessionReply, SessionUser } from './api/types';
import { formatCountry, formatDate, formatDateTime, formatMoney, formatMoneyCompact, formatMoneyList, formatNumber, formatPercent } from './format';
import { guessLocale, isLocale, translate, translateEnum, type MessageKey, type Params } from './i18n';
import { location, navigate } from './nav.svelte';
import type { MoneyValue } from './api/types';

export const session = $state({
  user: null as SessionUser | null,
  /** True once the start-up session check has answered. */
  ready: false,
});

export const ui = $state({
  locale: (typeof navigator === 'undefined' ? 'en' : guessLocale(navigator.languages ?? [])) as Locale,
});

export const api = new ApiClient({
  onUnauthenticated: () => {
    const wasSignedIn = session.user !== null;
    session.user = null;
    if (location.path !== '/signin') {
      const next = location.path === '/' ? '' : `?next=${encodeURIComponent(location.path)}`;
      navigate(`/signin${next}`, { replace: true });
      if (wasSignedIn) toast(t('error.sessionExpired'), 'error');
    }
  },
});

// --- text and formatting in the current language -----------------------------------------------

export function t(key: MessageKey, params?: Params): string {
  return translate(ui.locale, key, params);
}
export function te(prefix: string, value: string | null | undefined): string {
  return translateEnum(ui.locale, prefix, value);
}
export const fmt = {
  money: (amount: number | null | undefined, currency: string | null | undefined) =>
    formatMoney(amount, currency, ui.locale, 'never'),
  moneyExact: (amount: number | null | undefined, currency: string | null | undefined) =>
    formatMoney(amount, currency, ui.locale, 'auto'),
  moneyCompact: (amount: number, currency: string) => formatMoneyCompact(amount, currency, ui.locale),
  moneyList: (values: MoneyValue[] | null | undefined, compact = false) => formatMoneyList(values, ui.locale, compact),
  number: (value: number | null | undefined, digits = 0) => formatNumber(value, ui.locale, digits),
  percent: (fraction: number | null | undefined) => formatPercent(fraction, ui.locale),
  date: (value: string | null | undefined) => formatDate(value, ui.locale),
  dateTime: (value: string | null | undefined) => formatDateTime(value, ui.locale),
  country: (code: string | null | undefined) => formatCountry(code, ui.locale),
};

/** A message for an error, in the user's language where we have one. */
export function errorText(e: unknown): string {
  if (isApiError(e)) {
    if (e.code === 'network') return t('error.network');
    if (e.code === 'disk_full') return t('error.diskFull');
    if (e.code === 'read_only') return t('error.readOnly');
    if (e.code === 'unavailable') return t('error.busy');
    if (e.code === 'too_many_attempts') {
      return t('error.throttled', { minutes: Math.max(1, Math.ceil((e.retryAfter ?? 900) / 60)) });
    }
    return e.message || t('error.generic');
  }
  return e instanceof Error && e.message ? e.message : t('error.generic');
}

// --- toasts --------------------------------------------------------------------------------------

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'success' | 'error';
}
export const toasts = $state<Toast[]>([]);
let nextToast = 1;

export function toast(text: string, kind: Toast['kind'] = 'info', ms = 5000): void {
  const id = nextToast++;
  toasts.push({ id, text, kind });
  setTimeout(() => dismissToast(id), ms);
}
export function dismissToast(id: number): void {
  const i = toasts.findIndex((x) => x.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

// --- session -------------------------------------------------------------------------------------

function adopt(reply: SessionReply): void {
  api.csrfToken = reply.csrf_token;
  session.user = reply.user;
  if (isLocale(reply.user.locale)) ui.locale = reply.user.locale;
}

export async function loadSession(): Promise<void> {
  try {
    adopt(await api.request<SessionReply>('GET', '/session', { quiet401: true }));
  } catch (e) {
    session.user = null;
    if (!(isApiError(e) && e.status === 401)) console.warn('session check failed', e);
  } finally {
    session.ready = true;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  adopt(await api.request<SessionReply>('POST', '/session', { body: { email, password }, quiet401: true }));
}

export async function signOut(): Promise<void> {
  try {
    await api.request<void>('DELETE', '/session', { quiet401: true });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
  api.csrfToken = null;
  session.user = null;
  navigate('/signin');
}

/** Switches the UI language now and saves it to the user's profile. */
export async function changeLocale(locale: Locale): Promise<void> {
  const previous = ui.locale;
  ui.locale = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  if (!session.user) return;
  try {
    const reply = await api.patch<Partial<SessionReply> & Partial<SessionUser>>('/session', { locale });
    const user = reply && 'user' in reply && reply.user ? reply.user : null;
    if (reply && typeof reply.csrf_token === 'string' && reply.csrf_token) api.csrfToken = reply.csrf_token;
    session.user = { ...session.user, ...(user ?? {}), locale };
  } catch (e) {
    ui.locale = previous;
    toast(errorText(e), 'error');
  }
}

export function hasRole(...roles: SessionUser['role'][]): boolean {
  return !!session.user && roles.includes(session.user.role);
}
