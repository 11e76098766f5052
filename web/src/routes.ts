// SPDX-License-Identifier: MIT
// The app's client-side routes. The server answers index.html for each of these paths.
import type { RouteDef } from './lib/router';

export type RouteName =
  | 'signin'
  | 'home'
  | 'accounts'
  | 'account'
  | 'opportunities'
  | 'opportunity'
  | 'board'
  | 'audit'
  | 'auditRuns'
  | 'scorecard'
  | 'forecast'
  | 'activities'
  | 'leads'
  | 'customerValue'
  | 'segments'
  | 'strategy'
  | 'alignment'
  | 'settings';

export const ROUTES: readonly RouteDef<RouteName>[] = [
  { name: 'signin', pattern: '/signin' },
  { name: 'home', pattern: '/' },
  { name: 'accounts', pattern: '/accounts' },
  { name: 'account', pattern: '/accounts/:id' },
  { name: 'opportunities', pattern: '/opportunities' },
  { name: 'opportunity', pattern: '/opportunities/:id' },
  { name: 'board', pattern: '/board' },
  { name: 'audit', pattern: '/audit' },
  { name: 'auditRuns', pattern: '/audit/runs' },
  { name: 'scorecard', pattern: '/audit/:type/:id' },
  { name: 'forecast', pattern: '/forecast' },
  { name: 'activities', pattern: '/activities' },
  { name: 'leads', pattern: '/leads' },
  { name: 'customerValue', pattern: '/customer-value' },
  { name: 'segments', pattern: '/segments' },
  { name: 'strategy', pattern: '/strategy' },
  { name: 'alignment', pattern: '/alignment' },
  { name: 'settings', pattern: '/settings' },
];
