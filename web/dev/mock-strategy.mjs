// SPDX-License-Identifier: MIT
// The strategy cascade in the mock server (docs/api.md, "Customer value and strategy"): segments
// by industry with three core ones, value propositions for two of them (the third shows the
// empty state), this year's and this quarter's objectives, older completed meetings so the
// quarters have history, and the two computed routes: GET /api/v1/strategy/cascade and the
// alignment part of GET /api/v1/strategy (with a small segment table so the Segments page runs).
// Deterministic: nothing here draws from the fixture's random numbers.

const DAY = 86_400_000;

const SEGMENTS = [
  ['Industrial mid-market', 'industry=Manufacturing', true, ['Manufacturing']],
  ['Logistics & distribution', 'industry=Logistics', true, ['Logistics']],
  ['Energy & utilities', 'industry=Energy', true, ['Energy']],
  ['IT & finance', 'industry=IT services,Finance', false, ['IT services', 'Finance']],
  ['Retail & food', 'industry=Retail,Food & beverage', false, ['Retail', 'Food & beverage']],
  ['Public & healthcare', 'industry=Public sector,Healthcare', false, ['Public sector', 'Healthcare']],
  ['Construction', 'industry=Construction', false, ['Construction']],
];

const PROPOSITIONS = {
  'Industrial mid-market': [
    'Fewer unplanned stops: we keep production lines running with predictive maintenance and spare parts on site within 24 hours.',
    'Unplanned downtime costs more than the maintenance budget\nSkilled technicians are retiring and hard to replace\nSpare-parts stock ties up working capital',
    'How many hours of unplanned downtime did you have last year, and what did an hour cost?\nWho decides between repairing and replacing a machine?\nHow do you plan maintenance today: calendar, condition or breakdown?',
    'Danish food producer: downtime down 38 % in the first year\nSwedish packaging plant: spare-parts stock down 22 %',
  ],
  'Logistics & distribution': [
    'Warehouses and fleets that never wait for a part: service level agreements with response times your customers can rely on.',
    'Peak seasons leave no room for equipment failure\nService partners vary from site to site\nCustomers penalise late deliveries',
    'What happens to your deliveries when a sorter or a forklift fleet stops?\nHow many service partners do you manage across your sites?\nWhich delivery promises carry penalties?',
    'Norwegian 3PL: one service agreement for 14 sites\nDanish wholesaler: 99.2 % uptime through the Christmas peak',
  ],
};

export const STRATEGY_METRICS = ['won_amount', 'gross_margin', 'margin_pct', 'win_rate', 'new_customers', 'meetings', 'core_meeting_share', 'core_activity_share'];
const UNIT = { won_amount: 'money', gross_margin: 'money', margin_pct: 'percent', win_rate: 'percent', new_customers: 'count', meetings: 'count', core_meeting_share: 'percent', core_activity_share: 'percent' };
const CUMULATIVE = new Set(['won_amount', 'gross_margin', 'new_customers', 'meetings']);
export const MONEY_METRICS = new Set(['won_amount', 'gross_margin', 'margin_pct']);

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (date) => Date.parse(`${date}T00:00:00Z`);

function quarterOf(ms) {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const q = Math.floor(d.getUTCMonth() / 3);
  return { start: iso(Date.UTC(y, q * 3, 1)), end: iso(Date.UTC(y, q * 3 + 3, 0)), label: `${y}-Q${q + 1}` };
}

export function createStrategy({ db, byId, newId, stamp, HttpError, ownersSeen, teamMemberIds, isoTime, today }) {
  // --- fixture -----------------------------------------------------------------------------------
  for (const [name, rule, core] of SEGMENTS) db.segments.push({ id: newId('segments'), name, rule, core, ...stamp() });
  const segmentOfIndustry = new Map();
  SEGMENTS.forEach(([, , , industries], i) => industries.forEach((ind) => segmentOfIndustry.set(ind, db.segments[i].id)));
  for (const a of db.accounts) a.segment_id = segmentOfIndustry.get(a.industry) ?? null;
  for (const [name, [statement, key_issues, discovery_questions, proof_points]] of Object.entries(PROPOSITIONS)) {
    const segment = db.segments.find((s) => s.name === name);
    db['value-propositions'].push({ id: newId('value-propositions'), segment_id: segment.id, statement, key_issues, discovery_questions, proof_points, ...stamp() });
  }
  // Completed meetings and calls 61–400 days back, so earlier quarters have something to show.
  db.accounts.forEach((a, i) => {
    for (let k = 0; k < 3; k++) {
      const days = 61 + ((a.id * 37 + k * 113) % 340);
      const type = (a.id + k) % 3 === 0 ? 'call' : 'meeting';
      db.activities.push({ id: newId('activities'), external_id: '', type, status: 'completed', date: isoTime(today.getTime() - days * DAY + (9 + (i % 6)) * 3600_000), owner_id: a.owner_id, account_id: a.id, contact_id: null, opportunity_id: null, lead_id: null, outcome: 'Agreed next steps', notes: '', ...stamp() });
    }
  });
  const year = today.getUTCFullYear();
  const q = quarterOf(today.getTime());
  const previous = quarterOf(dayMs(q.start) - DAY);
  const objectives = [
    ['New sales DKK +10 %', 'won_amount', 1_800_000, 'DKK', `${year}-01-01`, `${year}-12-31`],
    ['New sales SEK +10 %', 'won_amount', 1_500_000, 'SEK', `${year}-01-01`, `${year}-12-31`],
    ['Gross margin 30 % in Denmark', 'margin_pct', 30, 'DKK', `${year}-01-01`, `${year}-12-31`],
    ['Win rate 40 % this quarter', 'win_rate', 40, null, q.start, q.end],
    ['Half our meetings in core segments', 'core_meeting_share', 50, null, q.start, q.end],
    ['Meetings last quarter', 'meetings', 60, null, previous.start, previous.end],
  ];
  for (const [name, metric, target, currency, period_start, period_end] of objectives) {
    db.objectives.push({ id: newId('objectives'), name, metric, target, currency, period_start, period_end, ...stamp() });
  }

  // --- measuring ---------------------------------------------------------------------------------
  const coreIds = () => new Set(db.segments.filter((s) => s.core).map((s) => s.id));
  const inCore = (accountId, core) => {
    const a = accountId ? byId('accounts', accountId) : null;
    return !!a && a.segment_id !== null && core.has(a.segment_id);
  };
  const within = (date, start, end) => !!date && date.slice(0, 10) >= start && date.slice(0, 10) <= end;

  function measure(o, asOf) {
    const end = o.period_end < asOf ? o.period_end : asOf;
    const start = o.period_start;
    const core = coreIds();
    const completed = (type) => db.activities.filter((a) => a.status === 'completed' && (!type || a.type === type) && within(a.date, start, end));
    switch (o.metric) {
      case 'won_amount':
        return db.opportunities.filter((x) => x.stage === 'closed_won' && x.currency === o.currency && within(x.closed_date, start, end)).reduce((s, x) => s + x.amount, 0);
      case 'gross_margin':
        return db.orders.filter((x) => x.currency === o.currency && within(x.date, start, end)).reduce((s, x) => s + x.margin, 0);
      case 'margin_pct': {
        const orders = db.orders.filter((x) => x.currency === o.currency && within(x.date, start, end));
        const revenue = orders.reduce((s, x) => s + x.revenue, 0);
        return revenue > 0 ? (100 * orders.reduce((s, x) => s + x.margin, 0)) / revenue : null;
      }
      case 'win_rate': {
        const closed = db.opportunities.filter((x) => (x.stage === 'closed_won' || x.stage === 'closed_lost') && within(x.closed_date, start, end));
        return closed.length ? (100 * closed.filter((x) => x.stage === 'closed_won').length) / closed.length : null;
      }
      case 'new_customers': {
        const first = new Map();
        for (const x of db.orders) if (!first.has(x.account_id) || x.date < first.get(x.account_id)) first.set(x.account_id, x.date);
        return [...first.values()].filter((d) => within(d, start, end)).length;
      }
      case 'meetings':
        return completed('meeting').length;
      case 'core_meeting_share':
      case 'core_activity_share': {
        const rows = completed(o.metric === 'core_meeting_share' ? 'meeting' : null);
        return rows.length ? (100 * rows.filter((a) => inCore(a.account_id, core)).length) / rows.length : null;
      }
      default:
        return null;
    }
  }

  function progressOf(o, asOf) {
    const cumulative = CUMULATIVE.has(o.metric);
    const before = asOf < o.period_start;
    const actual = before ? null : measure(o, asOf);
    const progress = actual === null || !o.target ? null : actual / o.target;
    const length = (dayMs(o.period_end) - dayMs(o.period_start)) / DAY + 1;
    const passed = (dayMs(asOf) - dayMs(o.period_start)) / DAY + 1;
    const elapsed = Math.min(1, Math.max(0, passed / length));
    const reached = actual !== null && actual >= o.target;
    let status;
    if (before) status = 'not_started';
    else if (asOf > o.period_end) status = reached ? 'achieved' : 'missed';
    else if (cumulative) status = reached ? 'achieved' : progress !== null && progress >= elapsed ? 'on_track' : 'behind';
    else status = reached ? 'on_track' : 'behind';
    const round = (x) => (x === null ? null : Math.round(x * 10000) / 10000);
    return { unit: UNIT[o.metric], actual: round(actual), progress: round(progress), elapsed: round(elapsed), cumulative, status };
  }

  function share(core, total) {
    return total ? Math.round((core / total) * 10000) / 10000 : null;
  }
  const money = (currency, amount) => ({ currency, amount, amount_minor: Math.round(amount * 100) });

  /** Alignment of one group of owners in one quarter. */
  function alignmentOf(owners, period, core, highFit) {
    const acts = db.activities.filter((a) => a.status === 'completed' && within(a.date, period.start, period.end) && (!owners || owners.includes(a.owner_id)));
    const meetings = acts.filter((a) => a.type === 'meeting');
    const count = (rows) => {
      const c = rows.filter((a) => inCore(a.account_id, core)).length;
      const h = rows.filter((a) => highFit(a.account_id)).length;
      return { total: rows.length, core: c, high_fit: h, core_share: share(c, rows.length), high_fit_share: share(h, rows.length) };
    };
    // Open pipeline at the quarter's end: created by then, not closed before then.
    const open = db.opportunities.filter((o) => (!owners || owners.includes(o.owner_id)) && o.created_date <= period.end && (!o.closed_date || o.closed_date > period.end));
    const currencies = [...new Set(open.map((o) => o.currency))].sort();
    const pipeline = currencies.map((currency) => {
      const rows = open.filter((o) => o.currency === currency);
      const total = rows.reduce((s, o) => s + o.amount, 0);
      const c = rows.filter((o) => inCore(o.account_id, core)).reduce((s, o) => s + o.amount, 0);
      const h = rows.filter((o) => highFit(o.account_id)).reduce((s, o) => s + o.amount, 0);
      return { currency, deals: rows.length, total: money(currency, total), core: money(currency, c), high_fit: money(currency, h), core_share: share(c, total), high_fit_share: share(h, total) };
    });
    return { meetings: count(meetings), activities: count(acts), unlinked_activities: acts.filter((a) => !a.account_id).length, pipeline };
  }

  function lastQuarters(asOf, n = 4) {
    const out = [];
    let ms = dayMs(asOf);
    for (let i = 0; i < n; i++) {
      const q = quarterOf(ms);
      out.unshift(q);
      ms = dayMs(q.start) - DAY;
    }
    return out;
  }

  const highFitOf = (core) => (accountId) => {
    const a = accountId ? byId('accounts', accountId) : null;
    return !!a && a.segment_id !== null && core.has(a.segment_id) && (a.employees ?? 0) >= 50;
  };

  function winRate(accounts) {
    const ids = new Set(accounts.map((a) => a.id));
    const closed = db.opportunities.filter((o) => ids.has(o.account_id) && (o.stage === 'closed_won' || o.stage === 'closed_lost'));
    return closed.length ? Math.round((closed.filter((o) => o.stage === 'closed_won').length / closed.length) * 10000) / 10000 : null;
  }

  function asOfParam(query) {
    const asOf = query.get('as_of') ?? iso(Date.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(dayMs(asOf))) throw new HttpError(400, 'bad_request', `as_of "${asOf}" is not a date (YYYY-MM-DD)`, 'as_of');
    return asOf;
  }

  function cascade(query) {
    const asOf = asOfParam(query);
    const core = coreIds();
    const objectives = [...db.objectives]
      .sort((a, b) => a.period_end.localeCompare(b.period_end) || a.name.localeCompare(b.name))
      .map((o) => ({ id: o.id, version: o.version, name: o.name, metric: o.metric, currency: o.currency ?? null, target: o.target, period_start: o.period_start, period_end: o.period_end, ...progressOf(o, asOf) }));
    const segments = [...db.segments]
      .sort((a, b) => Number(b.core) - Number(a.core) || a.name.localeCompare(b.name))
      .map((s) => {
        const accounts = db.accounts.filter((a) => a.segment_id === s.id);
        const vp = db['value-propositions'].find((v) => v.segment_id === s.id);
        const lines = (text) => String(text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
        return {
          segment_id: s.id,
          name: s.name,
          core: s.core,
          suggested_core: ['Industrial mid-market', 'Logistics & distribution', 'Energy & utilities'].includes(s.name),
          customers: accounts.filter((a) => a.status === 'customer').length,
          win_rate: winRate(accounts),
          value_proposition: vp ? { id: vp.id, version: vp.version, statement: vp.statement, key_issues: lines(vp.key_issues), discovery_questions: lines(vp.discovery_questions), proof_points: lines(vp.proof_points) } : null,
        };
      });
    const highFit = highFitOf(core);
    const alignment = lastQuarters(asOf).map((period) => {
      const a = alignmentOf(null, period, core, highFit);
      const strip = (c) => ({ total: c.total, core: c.core, core_share: c.core_share });
      return { period, meetings: strip(a.meetings), activities: strip(a.activities), pipeline: a.pipeline.map((p) => ({ currency: p.currency, total: p.total, core: p.core, core_share: p.core_share })) };
    });
    return { as_of: asOf, objectives, segments, alignment };
  }

  function strategy(user, query) {
    if (user.role === 'rep') throw new HttpError(403, 'forbidden', 'reps may not read the strategy report');
    const asOf = asOfParam(query);
    const core = coreIds();
    const highFit = highFitOf(core);
    const owners = ownersSeen(user);
    const teams = db.teams.filter((t) => user.role !== 'manager' || t.id === user.team_id);
    const reps = db.users.filter((u) => (u.role === 'rep' || u.role === 'manager') && (!owners || owners.includes(u.id)));
    const rows = [];
    for (const period of lastQuarters(asOf)) {
      rows.push({ level: 'company', id: 0, name: 'company', period, ...alignmentOf(owners, period, core, highFit) });
      for (const t of teams) rows.push({ level: 'team', id: t.id, name: t.name, period, ...alignmentOf(teamMemberIds({ team_id: t.id, id: -1 }), period, core, highFit) });
      for (const u of reps) rows.push({ level: 'rep', id: u.id, name: u.name, period, ...alignmentOf([u.id], period, core, highFit) });
    }
    const segRow = (id, name, accounts, isCore) => ({
      segment_id: id,
      name,
      core: isCore,
      suggested_core: isCore,
      reason: isCore ? 'win rate and margin above the company’s' : '',
      accounts: accounts.length,
      customers: accounts.filter((a) => a.status === 'customer').length,
      won: 0,
      lost: 0,
      win_rate: winRate(accounts),
      median_cycle_days: null,
      margin_per_customer_index: null,
      value_index: null,
      currencies: [],
    });
    const from = iso(dayMs(asOf) - 730 * DAY);
    return {
      as_of: asOf,
      window: { from, to: asOf },
      rule_errors: [],
      segment_changes: [],
      segment_table: {
        rule: 'win rate and margin per customer above the company’s',
        company: segRow(0, 'company', db.accounts, false),
        segments: db.segments.map((s) => segRow(s.id, s.name, db.accounts.filter((a) => a.segment_id === s.id), s.core)),
      },
      profitability: { granularity: 'quarter', segments: [], accounts: [] },
      icp: { attributes: {}, customers: 0, top_customers: 0, top_share: 0.2, prior_strength: 5, value_basis: 'margin', error: 'the mock server has no customer profile' },
      fit: { threshold: 70, accounts: [], leads: [] },
      alignment: { granularity: 'quarter', threshold: 70, core_segments: [...core].sort((a, b) => a - b), rows },
    };
  }

  return { cascade, strategy };
}
