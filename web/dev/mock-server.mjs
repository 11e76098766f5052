#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// A small stand-in for `salesbox serve` (docs/api.md) so the web app can be developed and its
// browser tests run without the C++ server: sessions with a cookie, CSRF, 409 on a stale
// version, sign-in throttling, role scoping, and web/dist served with the server's CSP and SPA
// fallback. Plain Node (no dependencies); the data is a small deterministic fixture made at start.
//
//   node dev/mock-server.mjs [--port 8090] [--host 127.0.0.1] [--dist ./dist]
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAudit } from './mock-audit.mjs';
import { createForecast } from './mock-forecast.mjs';
import { createStrategy, MONEY_METRICS, STRATEGY_METRICS } from './mock-strategy.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const PORT = Number(arg('port', process.env.PORT ?? 8090));
const HOST = arg('host', '127.0.0.1');
const DIST = resolve(arg('dist', join(here, '..', 'dist')));
const PASSWORD = 'salesbox-demo';

// --- fixture -------------------------------------------------------------------------------------

let seed = 42;
function rand() {
  // mulberry32
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pad = (n, w) => String(n).padStart(w, '0');

const DAY = 86_400_000;
const today = new Date();
today.setUTCHours(0, 0, 0, 0);
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dayOffset = (days) => isoDate(today.getTime() + days * DAY);
const nowIso = () => isoTime(Date.now());

const teams = [
  { id: 1, name: 'Danmark Øst', country: 'DK', currency: 'DKK', locale: 'da', regions: ['Hovedstaden', 'Sjælland'] },
  { id: 2, name: 'Sverige Öst', country: 'SE', currency: 'SEK', locale: 'sv', regions: ['Stockholm', 'Uppsala'] },
  { id: 3, name: 'Norge', country: 'NO', currency: 'NOK', locale: 'nb', regions: ['Oslo', 'Vestland'] },
];
const people = [
  ['Mette Kjær', 'mette.kjaer', 'manager', 1],
  ['Anders Nielsen', 'anders.nielsen', 'rep', 1],
  ['Sofie Jensen', 'sofie.jensen', 'rep', 1],
  ['Mikkel Hansen', 'mikkel.hansen', 'rep', 1],
  ['Karin Lindqvist', 'karin.lindqvist', 'manager', 2],
  ['Erik Johansson', 'erik.johansson', 'rep', 2],
  ['Anna Karlsson', 'anna.karlsson', 'rep', 2],
  ['Ingrid Haugen', 'ingrid.haugen', 'manager', 3],
  ['Kari Johansen', 'kari.johansen', 'rep', 3],
  ['Peter Lund', 'peter.lund', 'executive', null],
  ['Nanna Østergaard', 'nanna.oestergaard', 'marketing', null],
  ['Kasper Holm', 'kasper.holm', 'admin', null],
];
const db = { users: [], teams: [], accounts: [], contacts: [], opportunities: [], history: [], activities: [], orders: [], leads: [], campaigns: [], audit: [], segments: [], objectives: [], 'value-propositions': [] };
const nextId = {};
const newId = (kind) => (nextId[kind] = (nextId[kind] ?? 0) + 1);
const stamp = () => ({ created_at: nowIso(), updated_at: nowIso(), version: 1 });

for (const t of teams) db.teams.push({ id: newId('teams'), name: t.name, manager_id: null, ...stamp() });
for (const [name, local, role, teamId] of people) {
  const team = teams.find((t) => t.id === teamId);
  db.users.push({ id: newId('users'), email: `${local}@demo.salesbox.example`, name, role, team_id: teamId, locale: team?.locale ?? 'da', active: true, password: PASSWORD, ...stamp() });
}
for (const team of db.teams) team.manager_id = db.users.find((u) => u.team_id === team.id && u.role === 'manager')?.id ?? null;

const NAMES = {
  DK: { a: ['Jensen', 'Nørregaard', 'Holm', 'Vestergaard', 'Kronborg', 'Lyngby', 'Bech', 'Møller', 'Skov', 'Dahl'], b: ['Maskinfabrik', 'Logistik', 'Fødevarer', 'Byg', 'IT', 'Energi', 'Emballage', 'Transport'], c: ['A/S', 'ApS'] },
  SE: { a: ['Vänern', 'Ek', 'Lindholm', 'Berg', 'Sundqvist', 'Ström', 'Öland', 'Nordin'], b: ['Plast', 'Verkstad', 'Logistik', 'Livsmedel', 'Bygg', 'Data', 'Energi'], c: ['AB'] },
  NO: { a: ['Hardanger', 'Fjord', 'Nordvik', 'Solberg', 'Bakke', 'Lie', 'Tromsø'], b: ['Havvind', 'Mekaniske', 'Logistikk', 'Sjømat', 'Bygg', 'Data'], c: ['AS', 'ASA'] },
};
const INDUSTRIES = ['Manufacturing', 'Logistics', 'IT services', 'Retail', 'Construction', 'Food & beverage', 'Public sector', 'Healthcare', 'Finance', 'Energy'];
const FIRST = ['Lars', 'Kirsten', 'Jonas', 'Ida', 'Mads', 'Camilla', 'Per', 'Hanne', 'Oskar', 'Linnea', 'Magnus', 'Sigrid', 'Ole', 'Tove'];
const LAST = ['Andersen', 'Holm', 'Berg', 'Lund', 'Dahl', 'Nygaard', 'Strand', 'Sandberg', 'Wikström', 'Haugland'];
const TITLES = ['CFO', 'COO', 'Head of IT', 'Operations Manager', 'Procurement Lead', 'CEO', 'Plant Manager', 'Controller'];
const ROLES = ['economic_buyer', 'decision_maker', 'champion', 'influencer', 'user', 'technical', 'coach', 'blocker', 'unknown'];
const OPEN_STAGES = ['qualify', 'discover', 'propose', 'negotiate', 'commit'];
const STAGE_P = { qualify: 0.1, discover: 0.2, propose: 0.4, negotiate: 0.6, commit: 0.8, closed_won: 1, closed_lost: 0 };
const PRODUCTS = ['Platform', 'Analytics', 'Integrations', 'Implementation', 'Support', 'Training'];

const reps = db.users.filter((u) => u.role === 'rep' || u.role === 'manager');
let accountNo = 0;
for (const owner of reps) {
  const team = teams.find((t) => t.id === owner.team_id);
  const n = owner.role === 'manager' ? 2 : 7;
  for (let i = 0; i < n; i++) {
    const pool = NAMES[team.country];
    const status = pick(['customer', 'customer', 'prospect', 'prospect', 'former']);
    const account = {
      id: newId('accounts'),
      external_id: `ACC-${pad(++accountNo, 6)}`,
      name: `${pick(pool.a)} ${pick(pool.b)} ${pick(pool.c)}`,
      industry: pick(INDUSTRIES),
      employees: int(12, 2400),
      region: pick(team.regions),
      country: team.country,
      org_number: team.country === 'SE' ? `556${pad(int(0, 999), 3)}-${pad(int(0, 9999), 4)}` : team.country === 'NO' ? `9${pad(int(0, 99999999), 8)}` : pad(int(10000000, 99999999), 8),
      owner_id: owner.id,
      status,
      segment_id: null,
      abc_class: status === 'customer' ? pick(['A', 'B', 'C', 'C']) : '',
      shared_with: [],
      ...stamp(),
    };
    db.accounts.push(account);
    for (let c = 0; c < int(1, 3); c++) {
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      db.contacts.push({ id: newId('contacts'), external_id: `CON-${pad(db.contacts.length + 1, 7)}`, account_id: account.id, name, title: pick(TITLES), email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`, phone: `+${team.country === 'DK' ? 45 : team.country === 'SE' ? 46 : 47} ${int(20, 99)} ${int(10, 99)} ${int(10, 99)} ${int(10, 99)}`, buying_role: pick(ROLES), relationship_strength: int(0, 4), ...stamp() });
    }
    for (let o = 0; o < int(1, 3); o++) {
      const closed = rand() < 0.35;
      const stage = closed ? pick(['closed_won', 'closed_lost']) : pick(OPEN_STAGES);
      const amount = int(4, 120) * 5000;
      const close = closed ? dayOffset(-int(5, 300)) : dayOffset(int(-10, 120));
      const opp = {
        id: newId('opportunities'),
        external_id: `OPP-${pad(db.opportunities.length + 1, 7)}`,
        account_id: account.id,
        name: `${account.name.split(' ')[0]} — ${pick(PRODUCTS)}`,
        owner_id: owner.id,
        stage,
        amount,
        currency: team.currency,
        probability: STAGE_P[stage],
        created_date: dayOffset(-int(30, 400)),
        close_date: close,
        closed_date: closed ? close : null,
        next_step: closed ? '' : pick(['Send proposal', 'Book demo', 'Meet CFO', 'Reference call', 'Agree on plan']),
        next_step_date: closed ? null : dayOffset(int(-5, 20)),
        forecast_category: closed ? 'closed' : pick(['pipeline', 'best_case', 'commit']),
        product_lines: [pick(PRODUCTS), pick(PRODUCTS)].filter((v, i, a) => a.indexOf(v) === i).join(';'),
        competitors: rand() < 0.5 ? pick(['Salesforce', 'HubSpot', 'Microsoft Dynamics', 'Pipedrive']) : '',
        reason: closed ? pick(['Price', 'Fit', 'Relationship', 'Timing']) : '',
        ...stamp(),
      };
      db.opportunities.push(opp);
      const path = closed ? ['qualify', 'discover', 'propose', stage] : OPEN_STAGES.slice(0, OPEN_STAGES.indexOf(stage) + 1);
      path.forEach((s, k) => db.history.push({ id: newId('history'), opportunity_id: opp.id, changed_at: isoTime(today.getTime() - (path.length - k) * 9 * DAY + 9 * 3600_000), stage: s, amount, currency: opp.currency, probability: STAGE_P[s], close_date: close, changed_by_id: owner.id }));
    }
    for (let a = 0; a < int(2, 5); a++) {
      const planned = rand() < 0.4;
      const when = planned ? today.getTime() + int(-6, 14) * DAY + int(8, 16) * 3600_000 : today.getTime() - int(1, 60) * DAY + int(8, 16) * 3600_000;
      db.activities.push({ id: newId('activities'), external_id: '', type: pick(['call', 'call', 'meeting', 'email', 'demo', 'proposal']), status: planned ? 'planned' : 'completed', date: isoTime(when), owner_id: owner.id, account_id: account.id, contact_id: null, opportunity_id: null, lead_id: null, outcome: planned ? '' : pick(['Interested, follow up in May', 'Sent material', 'Booked a demo', 'No answer', 'Agreed next steps']), notes: '', ...stamp() });
    }
    if (status !== 'prospect') {
      for (let r = 0; r < int(2, 6); r++) {
        const revenue = int(10, 400) * 1000;
        db.orders.push({ id: newId('orders'), external_id: `ORD-${pad(db.orders.length + 1, 8)}`, account_id: account.id, date: dayOffset(-int(10, 900)), revenue, margin: Math.round(revenue * (0.2 + rand() * 0.4)), currency: team.currency, ...stamp() });
      }
    }
  }
}
db.campaigns.push({ id: newId('campaigns'), external_id: 'CMP-001', name: 'Spring webinar 2025', channel: 'webinar', start_date: dayOffset(-60), end_date: dayOffset(-30), cost: 40000, currency: 'DKK', segment_id: null, ...stamp() });
db.campaigns.push({ id: newId('campaigns'), external_id: 'CMP-002', name: 'Logistics trade show', channel: 'trade_show', start_date: dayOffset(-20), end_date: dayOffset(-18), cost: 120000, currency: 'DKK', segment_id: null, ...stamp() });
for (let l = 0; l < 30; l++) {
  const name = `${pick(FIRST)} ${pick(LAST)}`;
  const team = pick(teams);
  const owner = rand() < 0.7 ? pick(reps.filter((r) => r.team_id === team.id)) : null;
  const source = pick(['campaign', 'trade_show', 'web', 'referral', 'outbound', 'other']);
  const campaign = source === 'campaign' ? db.campaigns[0] : source === 'trade_show' ? db.campaigns[1] : null;
  db.leads.push({ id: newId('leads'), external_id: `LEAD-${pad(l + 1, 5)}`, name, company: `${pick(NAMES[team.country].a)} ${pick(NAMES[team.country].b)} ${pick(NAMES[team.country].c)}`, title: pick(TITLES), email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`, phone: '', source, campaign_id: campaign?.id ?? null, status: pick(['new', 'new', 'working', 'warm', 'qualified', 'disqualified']), owner_id: owner?.id ?? null, account_id: null, created_date: dayOffset(-int(1, 90)), ...stamp() });
}

// --- records on the wire ------------------------------------------------------------------------

const byId = (kind, id) => db[kind].find((r) => r.id === Number(id));
const emailOf = (id) => (id ? byId('users', id)?.email ?? '' : '');
const extOf = (kind, id) => (id ? byId(kind, id)?.external_id || byId(kind, id)?.name || '' : '');
const minor = (v) => (v === null || v === undefined ? null : Math.round(v * 100));
const outcomeOf = (stage) => (stage === 'closed_won' ? 'won' : stage === 'closed_lost' ? 'lost' : 'open');

const OUT = {
  users: (u) => ({ id: u.id, version: u.version, email: u.email, name: u.name, role: u.role, team: byId('teams', u.team_id)?.name ?? '', team_id: u.team_id, locale: u.locale, active: u.active }),
  teams: (t) => ({ id: t.id, version: t.version, name: t.name, manager_email: emailOf(t.manager_id), manager_id: t.manager_id }),
  accounts: (a) => ({ id: a.id, version: a.version, external_id: a.external_id, name: a.name, industry: a.industry, employees: a.employees, region: a.region, country: a.country, org_number: a.org_number, owner_email: emailOf(a.owner_id), status: a.status, owner_id: a.owner_id, segment_id: a.segment_id, abc_class: a.abc_class, created_at: a.created_at }),
  contacts: (c) => ({ id: c.id, version: c.version, external_id: c.external_id, account: extOf('accounts', c.account_id), name: c.name, title: c.title, email: c.email, phone: c.phone, buying_role: c.buying_role, relationship_strength: c.relationship_strength, account_id: c.account_id }),
  opportunities: (o) => ({ id: o.id, version: o.version, external_id: o.external_id, account: extOf('accounts', o.account_id), name: o.name, owner_email: emailOf(o.owner_id), stage: o.stage, amount: o.amount, currency: o.currency, probability: o.probability, created_date: o.created_date, close_date: o.close_date, closed_date: o.closed_date, outcome: outcomeOf(o.stage), next_step: o.next_step, next_step_date: o.next_step_date, forecast_category: o.forecast_category, product_lines: o.product_lines, competitors: o.competitors, reason: o.reason, account_id: o.account_id, owner_id: o.owner_id, amount_minor: minor(o.amount) }),
  activities: (a) => ({ id: a.id, version: a.version, external_id: a.external_id, type: a.type, status: a.status, date: a.date, owner_email: emailOf(a.owner_id), account: extOf('accounts', a.account_id), contact: extOf('contacts', a.contact_id), opportunity: extOf('opportunities', a.opportunity_id), lead: extOf('leads', a.lead_id), outcome: a.outcome, notes: a.notes, owner_id: a.owner_id, account_id: a.account_id, contact_id: a.contact_id, opportunity_id: a.opportunity_id, lead_id: a.lead_id }),
  orders: (o) => ({ id: o.id, version: o.version, external_id: o.external_id, account: extOf('accounts', o.account_id), date: o.date, revenue: o.revenue, margin: o.margin, currency: o.currency, account_id: o.account_id, revenue_minor: minor(o.revenue), margin_minor: minor(o.margin) }),
  leads: (l) => ({ id: l.id, version: l.version, external_id: l.external_id, name: l.name, company: l.company, title: l.title, email: l.email, phone: l.phone, source: l.source, campaign: extOf('campaigns', l.campaign_id), status: l.status, owner_email: emailOf(l.owner_id), account: extOf('accounts', l.account_id), created_date: l.created_date, campaign_id: l.campaign_id, owner_id: l.owner_id, account_id: l.account_id }),
  segments: (s) => ({ id: s.id, version: s.version, name: s.name, rule: s.rule || null, core: s.core }),
  objectives: (o) => ({ id: o.id, version: o.version, name: o.name, metric: o.metric, target: o.target, currency: o.currency ?? null, period_start: o.period_start, period_end: o.period_end, target_minor: MONEY_METRICS.has(o.metric) && o.metric !== 'margin_pct' ? minor(o.target) : null }),
  'value-propositions': (v) => ({ id: v.id, version: v.version, segment: byId('segments', v.segment_id)?.name ?? null, statement: v.statement || null, key_issues: v.key_issues || null, discovery_questions: v.discovery_questions || null, proof_points: v.proof_points || null, segment_id: v.segment_id }),
  campaigns: (c) => ({ id: c.id, version: c.version, external_id: c.external_id, name: c.name, segment: '', channel: c.channel, start_date: c.start_date, end_date: c.end_date, cost: c.cost, currency: c.currency, segment_id: c.segment_id, cost_minor: minor(c.cost) }),
};

// Per kind: filters, sort fields, date field, writable fields (input names → validation).
const KINDS = {
  accounts: { filters: ['owner_id', 'status', 'country', 'industry', 'segment_id', 'abc_class'], sorts: ['name', 'employees', 'country', 'created_at'], date: null, fields: ['external_id', 'name', 'industry', 'employees', 'region', 'country', 'org_number', 'owner_email', 'owner_id', 'status', 'segment_id'] },
  contacts: { filters: ['account_id', 'buying_role'], sorts: ['name', 'relationship_strength'], date: null, fields: ['external_id', 'account', 'account_id', 'name', 'first_name', 'last_name', 'title', 'email', 'phone', 'buying_role', 'relationship_strength'] },
  leads: { filters: ['status', 'source', 'campaign_id', 'owner_id', 'account_id'], sorts: ['name', 'created_date'], date: 'created_date', fields: ['external_id', 'name', 'company', 'title', 'email', 'phone', 'source', 'campaign', 'campaign_id', 'status', 'owner_email', 'owner_id', 'account', 'account_id', 'created_date'] },
  campaigns: { filters: ['channel', 'segment_id'], sorts: ['name', 'start_date', 'cost'], date: 'start_date', fields: ['external_id', 'name', 'segment', 'segment_id', 'channel', 'start_date', 'end_date', 'cost', 'currency'] },
  opportunities: { filters: ['account_id', 'owner_id', 'stage', 'outcome', 'forecast_category'], sorts: ['name', 'amount', 'close_date', 'created_date', 'stage'], date: 'close_date', fields: ['external_id', 'account', 'account_id', 'name', 'owner_email', 'owner_id', 'stage', 'amount', 'currency', 'probability', 'created_date', 'close_date', 'closed_date', 'outcome', 'next_step', 'next_step_date', 'forecast_category', 'product_lines', 'competitors', 'reason'] },
  activities: { filters: ['owner_id', 'account_id', 'contact_id', 'opportunity_id', 'lead_id', 'type', 'status', 'overdue'], sorts: ['date'], date: 'date', fields: ['external_id', 'type', 'status', 'date', 'owner_email', 'owner_id', 'account', 'account_id', 'contact', 'contact_id', 'opportunity', 'opportunity_id', 'lead', 'lead_id', 'outcome', 'notes'] },
  orders: { filters: ['account_id'], sorts: ['date', 'revenue'], date: 'date', fields: ['external_id', 'account', 'account_id', 'date', 'revenue', 'margin', 'currency'] },
  teams: { filters: [], sorts: ['name'], date: null, fields: ['name', 'manager_email', 'manager_id'] },
  users: { filters: ['team_id', 'role', 'active'], sorts: ['name', 'email'], date: null, fields: ['email', 'name', 'role', 'team', 'team_id', 'locale', 'active', 'password'] },
  segments: { filters: ['core'], sorts: ['name'], date: null, fields: ['name', 'rule', 'core'] },
  objectives: { filters: ['metric'], sorts: ['name', 'period_start'], date: null, fields: ['name', 'metric', 'target', 'currency', 'period_start', 'period_end', 'target_minor'] },
  'value-propositions': { filters: ['segment_id'], sorts: ['segment_id'], date: null, fields: ['segment', 'segment_id', 'statement', 'key_issues', 'discovery_questions', 'proof_points'] },
};
const ENUMS = {
  status: { accounts: ['prospect', 'customer', 'former'], leads: ['new', 'working', 'warm', 'qualified', 'disqualified'], activities: ['planned', 'completed'] },
  stage: ['qualify', 'discover', 'propose', 'negotiate', 'commit', 'closed_won', 'closed_lost'],
  type: ['call', 'meeting', 'email', 'proposal', 'demo', 'event', 'task'],
  role: ['rep', 'manager', 'executive', 'marketing', 'admin'],
  locale: ['en', 'da', 'sv', 'nb'],
  buying_role: ROLES,
  source: ['campaign', 'trade_show', 'web', 'referral', 'outbound', 'other'],
};

// --- access ------------------------------------------------------------------------------------

function teamMemberIds(user) {
  if (!user.team_id) return [user.id];
  return db.users.filter((u) => u.team_id === user.team_id).map((u) => u.id);
}
function ownersSeen(user) {
  if (user.role === 'rep') return [user.id];
  if (user.role === 'manager') return teamMemberIds(user);
  return null; // everyone
}
function accountVisible(user, account) {
  if (!account) return false;
  if (['executive', 'admin', 'marketing'].includes(user.role)) return true;
  const owners = ownersSeen(user);
  return owners.includes(account.owner_id) || account.shared_with.some((id) => owners.includes(id));
}
function visible(user, kind, r) {
  const owners = ownersSeen(user);
  switch (kind) {
    case 'accounts':
      return accountVisible(user, r);
    case 'contacts':
    case 'orders':
      if (user.role === 'marketing') return false;
      return accountVisible(user, byId('accounts', r.account_id));
    case 'opportunities':
      if (user.role === 'marketing') return false;
      return accountVisible(user, byId('accounts', r.account_id)) || owners === null || owners.includes(r.owner_id);
    case 'activities':
      if (user.role === 'marketing') return false;
      return owners === null || owners.includes(r.owner_id) || (r.account_id && accountVisible(user, byId('accounts', r.account_id)));
    case 'leads':
      return owners === null || owners.includes(r.owner_id);
    case 'campaigns':
      return true;
    case 'users':
      return user.role === 'executive' || user.role === 'admin' || (user.team_id ? r.team_id === user.team_id : r.id === user.id);
    case 'teams':
      return user.role === 'executive' || user.role === 'admin' || r.id === user.team_id;
    case 'segments':
    case 'objectives':
    case 'value-propositions':
      return true;
    default:
      return false;
  }
}
function mayList(user, kind) {
  if (user.role === 'marketing' && (kind === 'users' || kind === 'teams')) return false;
  return true;
}
function mayChange(user, kind, r) {
  if (user.role === 'admin') return true;
  if (kind === 'segments' || kind === 'objectives') return user.role === 'executive';
  if (kind === 'value-propositions') return user.role === 'executive' || user.role === 'marketing';
  if (kind === 'users' || kind === 'teams') return false;
  if (user.role === 'marketing') return kind === 'leads' || kind === 'campaigns';
  if (user.role === 'executive') return kind === 'activities' && r.owner_id === user.id;
  if (kind === 'leads' || kind === 'campaigns') return false;
  return visible(user, kind, r);
}

// --- http helpers -------------------------------------------------------------------------------

class HttpError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}
const bad = (message, field) => new HttpError(400, 'bad_request', message, field);
const invalid = (message, field) => new HttpError(422, 'invalid', message, field);
const notFound = (what) => new HttpError(404, 'not_found', `${what} not found`);

function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}
function sendError(res, e, headers = {}) {
  const error = { code: e.code, message: e.message };
  if (e.field) error.field = e.field;
  send(res, e.status, { error }, headers);
}

const sessions = new Map(); // token → { userId, csrf, created, seen }
const failures = new Map(); // email → [timestamps]
const THROTTLE_WINDOW = 15 * 60_000;

function cookie(req, name) {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}
function currentSession(req) {
  const token = cookie(req, 'sb_session');
  const s = token && sessions.get(token);
  if (!s) return null;
  const now = Date.now();
  if (now - s.seen > 12 * 3600_000 || now - s.created > 7 * 24 * 3600_000) {
    sessions.delete(token);
    return null;
  }
  s.seen = now;
  const user = byId('users', s.userId);
  if (!user || !user.active) return null;
  return { token, ...s, user };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1 << 20) throw new HttpError(413, 'payload_too_large', 'request body above 1 MiB');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    const body = JSON.parse(text);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('the body must be a JSON object');
    return body;
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw bad(`malformed JSON: ${e.message}`);
  }
}

// --- list, get, create, update -------------------------------------------------------------------

function listRecords(user, kind, query) {
  const spec = KINDS[kind];
  if (!mayList(user, kind)) throw new HttpError(403, 'forbidden', `${user.role} may not list ${kind}`);
  const allowed = new Set(['limit', 'offset', 'sort', 'q', 'from', 'to', ...spec.filters]);
  for (const key of query.keys()) if (!allowed.has(key)) throw bad(`unknown query parameter "${key}"`, key);
  const limit = query.has('limit') ? Number(query.get('limit')) : 50;
  const offset = query.has('offset') ? Number(query.get('offset')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw bad('limit must be 1..500', 'limit');
  if (!Number.isInteger(offset) || offset < 0) throw bad('offset must be 0 or more', 'offset');
  let rows = db[kind].filter((r) => visible(user, kind, r)).map((r) => ({ r, o: OUT[kind](r) }));
  for (const f of spec.filters) {
    if (!query.has(f)) continue;
    const values = query.get(f).split(',');
    if (f === 'overdue') {
      const want = values[0] === 'true';
      const now = Date.now();
      rows = rows.filter(({ o }) => (o.status === 'planned' && Date.parse(o.date) < now) === want);
      continue;
    }
    rows = rows.filter(({ o }) => values.includes(String(o[f] ?? '')));
  }
  const q = query.get('q');
  if (q) rows = rows.filter(({ o }) => String(o.name ?? '').toLowerCase().includes(q.toLowerCase()));
  if (spec.date) {
    const from = query.get('from');
    const to = query.get('to');
    if (from) rows = rows.filter(({ o }) => o[spec.date] && o[spec.date].slice(0, 10) >= from);
    if (to) rows = rows.filter(({ o }) => o[spec.date] && o[spec.date].slice(0, 10) <= to);
  }
  const sort = query.get('sort');
  if (sort) {
    const desc = sort.startsWith('-');
    const field = desc ? sort.slice(1) : sort;
    if (!spec.sorts.includes(field)) throw bad(`cannot sort ${kind} by "${field}"`, 'sort');
    const order = field === 'stage' ? (v) => ENUMS.stage.indexOf(v) : (v) => v;
    rows.sort((a, b) => {
      const x = order(a.o[field]);
      const y = order(b.o[field]);
      if (x === y) return a.o.id - b.o.id;
      if (x === null || x === undefined || x === '') return 1;
      if (y === null || y === undefined || y === '') return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en');
      return desc ? -c : c;
    });
  }
  return { items: rows.slice(offset, offset + limit).map(({ o }) => o), total: rows.length, limit, offset };
}

function getVisible(user, kind, id) {
  const r = byId(kind, id);
  if (!r || !visible(user, kind, r)) throw notFound(kind.replace(/s$/, ''));
  return r;
}

function resolveRef(body, name, kind, lookup) {
  if (body[`${name}_id`] !== undefined) {
    const id = body[`${name}_id`];
    if (id === null) return null;
    if (!Number.isInteger(id)) throw bad(`${name}_id must be an integer`, `${name}_id`);
    if (!byId(kind, id)) throw invalid(`${name} ${id} does not exist`, `${name}_id`);
    return id;
  }
  if (body[name] !== undefined) {
    const ref = body[name];
    if (ref === null || ref === '') return null;
    const found = db[kind].find((r) => (lookup ? lookup(r, ref) : r.external_id === ref || r.name === ref));
    if (!found) throw invalid(`${name} "${ref}" does not exist`, name);
    return found.id;
  }
  return undefined;
}

function applyFields(user, kind, record, body, creating) {
  const spec = KINDS[kind];
  for (const key of Object.keys(body)) {
    if (key === 'version' && !creating) continue;
    if (!spec.fields.includes(key)) throw bad(`unknown field "${key}"`, key);
  }
  const out = { ...record };
  const text = (f) => {
    if (body[f] === undefined) return;
    if (body[f] !== null && typeof body[f] !== 'string') throw bad(`${f} must be a string`, f);
    out[f] = body[f] ?? '';
  };
  const num = (f, { min, integer } = {}) => {
    if (body[f] === undefined) return;
    if (body[f] === null) return void (out[f] = null);
    if (typeof body[f] !== 'number' || Number.isNaN(body[f])) throw bad(`${f} must be a number`, f);
    if (integer && !Number.isInteger(body[f])) throw invalid(`${f} must be a whole number`, f);
    if (min !== undefined && body[f] < min) throw invalid(`${f} may not be negative`, f);
    out[f] = body[f];
  };
  const date = (f) => {
    if (body[f] === undefined) return;
    if (body[f] === null || body[f] === '') return void (out[f] = null);
    if (typeof body[f] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body[f]) || Number.isNaN(Date.parse(body[f]))) throw invalid(`${f} "${body[f]}" is not a date (YYYY-MM-DD)`, f);
    out[f] = body[f];
  };
  const oneOf = (f, values) => {
    if (body[f] === undefined) return;
    if (!values.includes(body[f])) throw invalid(`${f} "${body[f]}" is not one of ${values.join(', ')}`, f);
    out[f] = body[f];
  };
  const owner = resolveRef(body, 'owner', 'users', (u, ref) => u.email === String(ref).toLowerCase());
  const ownerByEmail = body.owner_email !== undefined ? resolveRef({ owner: body.owner_email }, 'owner', 'users', (u, ref) => u.email === String(ref).toLowerCase()) : undefined;
  if (owner !== undefined) out.owner_id = owner;
  if (ownerByEmail !== undefined) out.owner_id = ownerByEmail;

  switch (kind) {
    case 'accounts':
      text('external_id'), text('name'), text('industry'), text('region'), text('org_number');
      num('employees', { min: 0, integer: true });
      if (body.country !== undefined) {
        if (body.country && !/^[A-Za-z]{2}$/.test(body.country)) throw invalid(`country "${body.country}" is not an ISO 3166 code`, 'country');
        out.country = (body.country ?? '').toUpperCase();
      }
      oneOf('status', ENUMS.status.accounts);
      if (!out.name || !out.name.trim()) throw invalid('name is required', 'name');
      break;
    case 'contacts':
      text('external_id'), text('name'), text('title'), text('email'), text('phone');
      oneOf('buying_role', ROLES);
      num('relationship_strength', { min: 0, integer: true });
      if (out.relationship_strength > 4) throw invalid('relationship_strength is 0..4', 'relationship_strength');
      {
        const acc = resolveRef(body, 'account', 'accounts');
        if (acc !== undefined) out.account_id = acc;
      }
      if (!out.account_id) throw invalid('account is required', 'account');
      break;
    case 'opportunities': {
      text('external_id'), text('name'), text('next_step'), text('product_lines'), text('competitors'), text('reason'), text('forecast_category');
      oneOf('stage', ENUMS.stage);
      num('amount', { min: 0 });
      if (body.probability !== undefined && body.probability !== null) {
        let p = body.probability;
        if (typeof p !== 'number') throw bad('probability must be a number', 'probability');
        if (p > 1) p = p / 100;
        if (p < 0 || p > 1) throw invalid('probability must be between 0 and 1', 'probability');
        out.probability = p;
      } else if (body.probability === null) out.probability = null;
      if (body.currency !== undefined) {
        if (!/^[A-Z]{3}$/.test(body.currency ?? '')) throw invalid(`currency "${body.currency}" is not an ISO 4217 code`, 'currency');
        out.currency = body.currency;
      }
      date('created_date'), date('close_date'), date('closed_date'), date('next_step_date');
      const acc = resolveRef(body, 'account', 'accounts');
      if (acc !== undefined) out.account_id = acc;
      if (!out.account_id) throw invalid('account is required', 'account');
      if (!out.name || !out.name.trim()) throw invalid('name is required', 'name');
      if (record.stage !== out.stage && (out.stage === 'closed_won' || out.stage === 'closed_lost') && body.closed_date === undefined) out.closed_date = isoDate(Date.now());
      if (out.stage !== 'closed_won' && out.stage !== 'closed_lost') out.closed_date = null;
      if (out.stage !== record.stage && body.forecast_category === undefined) out.forecast_category = outcomeOf(out.stage) === 'open' ? (out.forecast_category === 'closed' ? 'pipeline' : out.forecast_category) : 'closed';
      break;
    }
    case 'activities': {
      oneOf('type', ENUMS.type);
      oneOf('status', ENUMS.status.activities);
      text('outcome'), text('notes'), text('external_id');
      if (body.date !== undefined) {
        const ms = Date.parse(body.date);
        if (typeof body.date !== 'string' || Number.isNaN(ms)) throw invalid(`date "${body.date}" is not a date and time`, 'date');
        out.date = isoTime(ms);
      }
      for (const [name, k] of [['account', 'accounts'], ['contact', 'contacts'], ['opportunity', 'opportunities'], ['lead', 'leads']]) {
        const id = resolveRef(body, name, k);
        if (id !== undefined) out[`${name}_id`] = id;
      }
      if (!out.type) throw invalid('type is required', 'type');
      if (!out.date) throw invalid('date is required', 'date');
      if (!out.account_id && !out.contact_id && !out.opportunity_id && !out.lead_id) throw invalid('an activity links to at least one of account, contact, opportunity or lead', 'account');
      if (out.account_id && !accountVisible(user, byId('accounts', out.account_id))) throw invalid(`account ${out.account_id} does not exist`, 'account_id');
      if (out.contact_id && out.account_id && byId('contacts', out.contact_id)?.account_id !== out.account_id) throw invalid('the contact does not belong to the account', 'contact_id');
      break;
    }
    case 'leads':
      text('external_id'), text('name'), text('company'), text('title'), text('email'), text('phone');
      oneOf('status', ENUMS.status.leads);
      oneOf('source', ENUMS.source);
      date('created_date');
      if (!out.name || !out.name.trim()) throw invalid('name is required', 'name');
      break;
    case 'users':
      text('name');
      if (body.email !== undefined) {
        if (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email)) throw invalid(`email "${body.email}" is not an e-mail address`, 'email');
        out.email = body.email.toLowerCase();
        if (db.users.some((u) => u.email === out.email && u.id !== record.id)) throw new HttpError(409, 'conflict', `a user with e-mail ${out.email} exists`, 'email');
      }
      oneOf('role', ENUMS.role);
      oneOf('locale', ENUMS.locale);
      if (body.active !== undefined) {
        if (typeof body.active !== 'boolean') throw bad('active must be true or false', 'active');
        out.active = body.active;
      }
      {
        const team = resolveRef(body, 'team', 'teams', (t, ref) => t.name === ref);
        if (team !== undefined) out.team_id = team;
      }
      if (body.password !== undefined) {
        if (typeof body.password !== 'string' || body.password.length < 8) throw invalid('password must have at least 8 characters', 'password');
        out.password = body.password;
      }
      if (!out.name || !out.name.trim()) throw invalid('name is required', 'name');
      if (!out.email) throw invalid('email is required', 'email');
      if (!out.role) throw invalid('role is required', 'role');
      break;
    case 'teams':
      text('name');
      {
        const m = resolveRef(body, 'manager', 'users', (u, ref) => u.email === ref);
        if (m !== undefined) out.manager_id = m;
        if (body.manager_email !== undefined) out.manager_id = resolveRef({ manager: body.manager_email }, 'manager', 'users', (u, ref) => u.email === ref) ?? null;
      }
      if (!out.name || !out.name.trim()) throw invalid('name is required', 'name');
      if (db.teams.some((t) => t.name === out.name && t.id !== record.id)) throw new HttpError(409, 'conflict', `a team named ${out.name} exists`, 'name');
      break;
    case 'segments':
      text('name'), text('rule');
      if (body.core !== undefined) {
        if (typeof body.core !== 'boolean') throw bad('core must be true or false', 'core');
        out.core = body.core;
      }
      if (!out.name || !out.name.trim()) throw invalid('name is required', 'name');
      if (db.segments.some((x) => x.name === out.name && x.id !== record.id)) throw new HttpError(409, 'conflict', `a segment named ${out.name} exists`, 'name');
      break;
    case 'objectives': {
      text('name');
      if (body.metric !== undefined) {
        if (!STRATEGY_METRICS.includes(body.metric)) throw invalid(`metric "${body.metric}" is not one of ${STRATEGY_METRICS.join(', ')}`, 'metric');
        out.metric = body.metric;
      }
      if (body.target !== undefined) {
        if (typeof body.target !== 'number' || !Number.isFinite(body.target)) throw bad('target must be a number', 'target');
        out.target = body.target;
      }
      if (body.currency !== undefined) {
        if (body.currency !== null && body.currency !== '' && !/^[A-Z]{3}$/.test(body.currency)) throw invalid(`currency "${body.currency}" is not an ISO 4217 code`, 'currency');
        out.currency = body.currency || null;
      }
      date('period_start'), date('period_end');
      if (!out.name || !out.name.trim()) throw invalid('name is required', 'name');
      if (!out.metric) throw invalid('metric is required', 'metric');
      if (out.target === null || out.target === undefined) throw invalid('target is required', 'target');
      if (out.target < 0) throw invalid('target may not be negative', 'target');
      if ((out.metric === 'margin_pct' || out.metric === 'win_rate' || out.metric.endsWith('_share')) && out.target > 100) throw invalid('a percent target is 0–100', 'target');
      if (MONEY_METRICS.has(out.metric) && !out.currency) throw invalid(`metric ${out.metric} needs a currency`, 'currency');
      if (!MONEY_METRICS.has(out.metric) && out.currency) throw invalid(`metric ${out.metric} takes no currency`, 'currency');
      if (!out.period_start) throw invalid('period_start is required', 'period_start');
      if (!out.period_end) throw invalid('period_end is required', 'period_end');
      if (out.period_end < out.period_start) throw invalid('period_end is before period_start', 'period_end');
      break;
    }
    case 'value-propositions': {
      const seg = resolveRef(body, 'segment', 'segments', (x, ref) => x.name === ref);
      if (seg !== undefined) out.segment_id = seg;
      text('statement'), text('key_issues'), text('discovery_questions'), text('proof_points');
      if (!out.segment_id) throw invalid('segment is required', 'segment_id');
      if (db['value-propositions'].some((v) => v.segment_id === out.segment_id && v.id !== record.id)) throw new HttpError(409, 'conflict', `segment ${out.segment_id} has a value proposition`, 'segment_id');
      break;
    }
    default:
      break;
  }
  return out;
}

function audit(user, action, entity, before, after) {
  const changes = {};
  if (after) for (const [k, v] of Object.entries(after)) if (!['updated_at', 'version'].includes(k) && JSON.stringify(before?.[k]) !== JSON.stringify(v)) changes[k] = [before?.[k] ?? null, v];
  db.audit.push({ id: db.audit.length + 1, at: nowIso(), user_id: user.id, user: user.name, action, entity, entity_id: (after ?? before).id, changes });
}

function recordHistory(before, after, user) {
  if (!before || ['stage', 'amount', 'probability', 'close_date'].some((f) => before[f] !== after[f])) {
    db.history.push({ id: newId('history'), opportunity_id: after.id, changed_at: nowIso(), stage: after.stage, amount: after.amount, currency: after.currency, probability: after.probability, close_date: after.close_date, changed_by_id: user.id });
  }
}

function create(user, kind, body) {
  const defaults = {
    accounts: { status: 'prospect', owner_id: user.id, country: '', industry: '', region: '', org_number: '', employees: null, segment_id: null, abc_class: '', shared_with: [], external_id: '' },
    contacts: { buying_role: 'unknown', relationship_strength: null, title: '', email: '', phone: '', external_id: '' },
    opportunities: { stage: 'qualify', owner_id: user.id, amount: 0, currency: 'DKK', probability: null, created_date: isoDate(Date.now()), close_date: null, closed_date: null, next_step: '', next_step_date: null, forecast_category: 'pipeline', product_lines: '', competitors: '', reason: '', external_id: '' },
    activities: { status: 'planned', owner_id: user.id, account_id: null, contact_id: null, opportunity_id: null, lead_id: null, outcome: '', notes: '', external_id: '' },
    leads: { status: 'new', source: 'other', owner_id: null, campaign_id: null, account_id: null, created_date: isoDate(Date.now()), company: '', title: '', email: '', phone: '', external_id: '' },
    users: { active: true, locale: 'en', team_id: null, password: null },
    teams: { manager_id: null },
    segments: { rule: '', core: false },
    objectives: { currency: null, target: null, period_start: null, period_end: null },
    'value-propositions': { segment_id: null, statement: '', key_issues: '', discovery_questions: '', proof_points: '' },
  }[kind];
  if (!defaults) throw new HttpError(405, 'method_not_allowed', `POST is not allowed on ${kind}`);
  const record = applyFields(user, kind, { ...defaults, id: 0 }, body, true);
  if (!mayChange(user, kind, { ...record, id: -1 })) throw new HttpError(403, 'forbidden', `${user.role} may not create ${kind}`);
  if (kind === 'activities' && user.role !== 'admin' && record.owner_id !== user.id && !(ownersSeen(user) ?? []).includes(record.owner_id)) throw new HttpError(403, 'forbidden', 'you may only log your own activities');
  Object.assign(record, { id: newId(kind) }, stamp());
  db[kind].push(record);
  if (kind === 'opportunities') recordHistory(null, record, user);
  audit(user, 'create', kind, null, record);
  return record;
}

function update(user, kind, id, body) {
  const record = getVisible(user, kind, id);
  if (!mayChange(user, kind, record)) throw new HttpError(403, 'forbidden', `you may not change this ${kind.replace(/s$/, '')}`);
  if (body.version === undefined) throw bad('version is required', 'version');
  if (!Number.isInteger(body.version)) throw bad('version must be an integer', 'version');
  if (body.version !== record.version) throw new HttpError(409, 'conflict', `${kind.replace(/s$/, '')} ${id} was changed by someone else (version ${record.version}, not ${body.version})`, 'version');
  const next = applyFields(user, kind, record, body, false);
  next.version = record.version + 1;
  next.updated_at = nowIso();
  if (kind === 'opportunities') recordHistory(record, next, user);
  audit(user, 'update', kind, record, next);
  Object.assign(record, next);
  return record;
}

// --- aggregates ---------------------------------------------------------------------------------

function moneyList(rows, field = 'amount') {
  const sums = new Map();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0) + (r[field] ?? 0));
  return [...sums].sort().map(([currency, amount]) => ({ currency, amount, amount_minor: Math.round(amount * 100) }));
}

function home(user) {
  const opps = db.opportunities.filter((o) => visible(user, 'opportunities', o));
  const open = opps.filter((o) => outcomeOf(o.stage) === 'open');
  const now = new Date();
  const qStart = isoDate(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
  const won = opps.filter((o) => o.stage === 'closed_won' && o.closed_date && o.closed_date >= qStart);
  const mine = db.activities.filter((a) => visible(user, 'activities', a));
  const todayStr = isoDate(Date.now());
  const weekAgo = Date.now() - 7 * DAY;
  return {
    pipeline: {
      open_count: open.length,
      by_stage: OPEN_STAGES.map((stage) => {
        const rows = open.filter((o) => o.stage === stage);
        return { stage, count: rows.length, value: moneyList(rows) };
      }),
      value: moneyList(open),
    },
    won_this_quarter: { count: won.length, value: moneyList(won) },
    activities: {
      due_today: mine.filter((a) => a.status === 'planned' && a.date.slice(0, 10) === todayStr).length,
      overdue: mine.filter((a) => a.status === 'planned' && Date.parse(a.date) < Date.now()).length,
      completed_last_7_days: mine.filter((a) => a.status === 'completed' && Date.parse(a.date) >= weekAgo).length,
    },
    closing_soon: open
      .filter((o) => o.close_date)
      .sort((a, b) => (a.close_date < b.close_date ? -1 : a.close_date > b.close_date ? 1 : a.id - b.id))
      .slice(0, 10)
      .map(OUT.opportunities),
  };
}

// --- routing ------------------------------------------------------------------------------------

const strategyApi = createStrategy({ db, byId, newId, stamp, HttpError, ownersSeen, teamMemberIds, isoTime, today });
const auditApi = createAudit({ db, byId, newId, stamp, HttpError, teamMemberIds, isoTime, emailOf });
const forecastApi = createForecast({ db, byId, HttpError, ownersSeen, today, isoTime });

async function api(req, res, url) {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method;
  const parts = path.split('/').slice(3); // after /api/v1
  const kind = parts[0];

  if (path === '/api/v1/session') {
    if (method === 'POST') {
      const body = await readBody(req);
      for (const k of Object.keys(body)) if (!['email', 'password'].includes(k)) throw bad(`unknown field "${k}"`, k);
      const email = String(body.email ?? '').trim().toLowerCase();
      const recent = (failures.get(email) ?? []).filter((t) => Date.now() - t < THROTTLE_WINDOW);
      if (recent.length >= 5) {
        const retry = Math.ceil((recent[recent.length - 5] + THROTTLE_WINDOW - Date.now()) / 1000);
        throw Object.assign(new HttpError(429, 'too_many_attempts', 'too many failed sign-in attempts; try again later'), { retryAfter: retry });
      }
      const user = db.users.find((u) => u.email === email);
      if (!user || !user.active || user.password !== body.password) {
        failures.set(email, [...recent, Date.now()]);
        throw new HttpError(401, 'unauthenticated', 'wrong e-mail or password');
      }
      failures.delete(email);
      const token = randomBytes(24).toString('base64url');
      const csrf = randomBytes(18).toString('base64url');
      sessions.set(token, { userId: user.id, csrf, created: Date.now(), seen: Date.now() });
      return send(res, 200, { user: sessionUser(user), csrf_token: csrf }, { 'Set-Cookie': `sb_session=${token}; HttpOnly; SameSite=Strict; Path=/` });
    }
  }

  const session = currentSession(req);
  if (!session) throw new HttpError(401, 'unauthenticated', 'sign in first');
  const user = session.user;
  if (['POST', 'PATCH', 'PUT', 'DELETE'].includes(method) && req.headers['x-csrf-token'] !== session.csrf) {
    throw new HttpError(403, 'forbidden', 'CSRF token missing or wrong', 'csrf');
  }

  if (path === '/api/v1/session') {
    if (method === 'GET') return send(res, 200, { user: sessionUser(user), csrf_token: session.csrf });
    if (method === 'DELETE') {
      sessions.delete(session.token);
      res.writeHead(204, { 'Set-Cookie': 'sb_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0' });
      return res.end();
    }
    if (method === 'PATCH') {
      const body = await readBody(req);
      for (const k of Object.keys(body)) if (k !== 'locale') throw bad(`unknown field "${k}"`, k);
      if (!ENUMS.locale.includes(body.locale)) throw invalid(`locale "${body.locale}" is not one of en, da, sv, nb`, 'locale');
      user.locale = body.locale;
      user.version += 1;
      return send(res, 200, { user: sessionUser(user), csrf_token: session.csrf });
    }
    throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
  }
  if (path === '/api/v1/home' && method === 'GET') return send(res, 200, home(user));
  if (path === '/api/v1/stages' && method === 'GET') {
    return send(res, 200, ENUMS.stage.map((name) => ({ name, probability: STAGE_P[name], open: outcomeOf(name) === 'open' })));
  }
  if (path === '/api/v1/audit-log' && method === 'GET') {
    if (!['manager', 'admin'].includes(user.role)) throw new HttpError(403, 'forbidden', 'only managers and admins read the audit log');
    const members = user.role === 'manager' ? teamMemberIds(user) : null;
    let items = db.audit.filter((a) => !members || members.includes(a.user_id));
    if (url.searchParams.get('entity')) items = items.filter((a) => a.entity === url.searchParams.get('entity'));
    if (url.searchParams.get('entity_id')) items = items.filter((a) => a.entity_id === Number(url.searchParams.get('entity_id')));
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    return send(res, 200, { items: items.slice().reverse().slice(offset, offset + limit), total: items.length, limit, offset });
  }
  if (path === '/api/v1/strategy/cascade' && method === 'GET') return send(res, 200, strategyApi.cascade(url.searchParams));
  if (path === '/api/v1/strategy' && method === 'GET') return send(res, 200, strategyApi.strategy(user, url.searchParams));
  if (kind === 'forecast') {
    const [status, body] = await forecastApi(user, method, parts, url.searchParams, () => readBody(req));
    return send(res, status, body);
  }
  if (kind === 'audit') {
    const [status, body] = await auditApi(user, method, parts, url.searchParams, () => readBody(req));
    return send(res, status, body);
  }
  if (kind === 'opportunities' && parts[2] === 'history' && parts.length === 3) {
    if (method !== 'GET') throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
    const opp = getVisible(user, 'opportunities', parts[1]);
    const items = db.history
      .filter((h) => h.opportunity_id === opp.id)
      .sort((a, b) => (a.changed_at < b.changed_at ? 1 : a.changed_at > b.changed_at ? -1 : b.id - a.id))
      .map((h) => ({ id: h.id, opportunity: opp.external_id, opportunity_id: opp.id, changed_at: h.changed_at, stage: h.stage, amount: h.amount, currency: h.currency, probability: h.probability, close_date: h.close_date, changed_by: emailOf(h.changed_by_id), changed_by_id: h.changed_by_id }));
    return send(res, 200, { items, total: items.length, limit: items.length, offset: 0 });
  }
  if (kind === 'accounts' && parts[2] === 'shares' && parts.length === 3) {
    const account = getVisible(user, 'accounts', parts[1]);
    if (method === 'GET') return send(res, 200, { user_ids: account.shared_with });
    if (method === 'PUT') {
      const owner = byId('users', account.owner_id);
      if (!(user.role === 'admin' || user.id === account.owner_id || (user.role === 'manager' && owner?.team_id === user.team_id))) throw new HttpError(403, 'forbidden', 'only the owner, their manager or an admin may share this account');
      const body = await readBody(req);
      if (!Array.isArray(body.user_ids) || !body.user_ids.every(Number.isInteger)) throw bad('user_ids must be a list of ids', 'user_ids');
      account.shared_with = body.user_ids;
      return send(res, 200, { user_ids: account.shared_with });
    }
    throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
  }
  if (KINDS[kind] && parts.length <= 2) {
    if (parts.length === 1) {
      if (method === 'GET') return send(res, 200, listRecords(user, kind, url.searchParams));
      if (method === 'POST') {
        const body = await readBody(req);
        return send(res, 201, OUT[kind](create(user, kind, body)));
      }
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
    }
    if (!/^\d+$/.test(parts[1])) throw notFound(kind.replace(/s$/, ''));
    if (method === 'GET') {
      if (!mayList(user, kind)) throw new HttpError(403, 'forbidden', `${user.role} may not read ${kind}`);
      return send(res, 200, OUT[kind](getVisible(user, kind, parts[1])));
    }
    if (method === 'PATCH') {
      const body = await readBody(req);
      return send(res, 200, OUT[kind](update(user, kind, parts[1], body)));
    }
    if (method === 'DELETE') {
      const record = getVisible(user, kind, parts[1]);
      if (!mayChange(user, kind, record)) throw new HttpError(403, 'forbidden', `you may not delete this ${kind.replace(/s$/, '')}`);
      db[kind] = db[kind].filter((r) => r !== record);
      audit(user, 'delete', kind, record, null);
      res.writeHead(204);
      return res.end();
    }
    throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
  }
  throw new HttpError(404, 'not_found', `no route ${method} ${path}`);
}

function sessionUser(u) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, team: byId('teams', u.team_id)?.name ?? null, team_id: u.team_id, locale: u.locale };
}

// --- static files -------------------------------------------------------------------------------

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2' };
const SECURITY = {
  'Content-Security-Policy': "default-src 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

async function serveStatic(req, res, url) {
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(DIST, rel);
  if (!file.startsWith(DIST)) return send(res, 404, { error: { code: 'not_found', message: 'not found' } });
  let info = await stat(file).catch(() => null);
  const isAsset = url.pathname.startsWith('/assets/');
  if (!info || info.isDirectory()) {
    if (isAsset || extname(url.pathname)) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...SECURITY });
      return res.end('not found');
    }
    file = join(DIST, 'index.html'); // client-side route
    info = await stat(file).catch(() => null);
    if (!info) {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      return res.end(`web/dist is missing: run npm run build (looked in ${DIST})`);
    }
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  try {
    if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
    if (url.pathname.startsWith('/api/v1')) return await api(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'method not allowed');
    return await serveStatic(req, res, url);
  } catch (e) {
    if (e instanceof HttpError) return sendError(res, e, e.retryAfter ? { 'Retry-After': String(e.retryAfter) } : {});
    console.error(e);
    return sendError(res, new HttpError(500, 'internal', 'internal error'));
  }
});

server.listen(PORT, HOST, () => {
  console.log(`salesbox mock API on http://${HOST}:${server.address().port} (web from ${DIST})`);
});
