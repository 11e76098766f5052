// SPDX-License-Identifier: MIT
// The audit routes of the mock server (docs/api.md, /api/v1/audit...): a small stand-in for the
// real audit engine so the audit pages and their browser scenarios run against the mock. Two
// five-area playbooks with four criteria each, stage (or ABC class) minimums, the colour rule,
// reasons with actions, answers with history, action items as planned tasks, saved runs and their
// comparison. Texts are English only; answers the data would give are made up deterministically.

const OPP_AREAS = [
  ['relationships', 'Relationships to key stakeholders', [
    ['eb_identified', 'Economic buyer identified', 'Find out who signs off the budget', true],
    ['eb_met', 'We have met the economic buyer', 'Book a meeting with the economic buyer', true],
    ['champion_active', 'A champion is identified and active within 30 days', 'Call your champion this week', true],
    ['roles_strong', 'Every buying role on this deal has relationship strength 3 or more', 'Meet the weakest-related buying role', false],
  ]],
  ['understanding', "Understanding of the customer's challenges", [
    ['issue_written', "The business issue is written down in the customer's words", 'Write the issue down and have it confirmed', false],
    ['impact_quantified', 'Its impact is quantified in money or time', 'Work out with the customer what the problem costs a year', false],
    ['understanding_confirmed', 'The customer confirmed our understanding', 'Send a summary and ask the customer to confirm it', false],
    ['decision_criteria_known', "The customer's decision criteria are known", 'Ask the decision maker how they will choose', false],
  ]],
  ['joint_process', 'Joint process the customer accepts', [
    ['mutual_plan', 'A mutual action plan exists', 'Draft a mutual action plan up to the decision date', false],
    ['plan_agreed', 'The customer agreed to the plan', 'Walk the customer through the plan', false],
    ['next_step_dated', 'The next step is dated in the future', 'Agree a dated next step with the customer', true],
    ['decision_process_known', "The customer's decision process and date are known", 'Map who decides, how and by when', false],
  ]],
  ['value', 'Value and differentiation', [
    ['value_mapped', 'Our value proposition is mapped to the issue', 'Map the value proposition to the issue', false],
    ['competitors_known', 'The competitors are known', 'Ask who else they talk to', true],
    ['difference_acknowledged', 'The customer acknowledges why we are different', 'Show a reference case from the segment', false],
    ['business_case_agreed', 'A business case or ROI is agreed', 'Build the business case with the economic buyer', false],
  ]],
  ['commitment', 'Commitment and fit', [
    ['budget_confirmed', 'Budget is confirmed', 'Ask the economic buyer to confirm the budget', false],
    ['compelling_event', 'A compelling event sets the timeline', 'Find the event that forces a decision', false],
    ['icp_fit', 'The account fits the ideal customer profile', 'Check the fit with your manager', true],
    ['seen_as_partner', 'We are seen as a partner, not just a supplier', 'Offer a working session on their goals', false],
  ]],
];
const ACC_AREAS = [
  ['coverage', 'Stakeholder coverage', [
    ['eb_known', 'The economic buyer is known', 'Find the economic buyer', true],
    ['roles_covered', 'At least three buying roles are covered', 'Meet more of the buying roles', true],
    ['key_contact_touched', 'A key contact was spoken to within 90 days', 'Call your key contact', true],
    ['relationship_strong', 'Our relationship to the economic buyer has strength 3 or more', 'Invite the economic buyer to a business meeting', false],
  ]],
  ['plan', "Account plan and the customer's goals", [
    ['plan_exists', 'An account plan exists', 'Write the account plan', false],
    ['plan_reviewed', 'The plan was reviewed with the customer within 12 months', 'Review the plan with the customer', false],
    ['priorities_known', "The customer's priorities are known", 'Ask about their priorities for the year', false],
    ['buying_process_known', 'Their buying process is known', 'Map how they buy', false],
  ]],
  ['governance', 'Governance and touchpoints', [
    ['business_review_held', 'A business review was held within 12 months', 'Book a business review', false],
    ['touchpoints_met', 'Touchpoints meet the ABC target', 'Plan the touchpoints the class needs', true],
    ['next_activity_planned', 'A next activity is planned', 'Plan the next activity', true],
    ['escalation_path', 'An escalation path is agreed', 'Agree an escalation path', false],
  ]],
  ['value', 'Value delivered', [
    ['satisfaction_measured', 'Satisfaction was measured within 12 months', 'Ask the customer to rate their satisfaction', false],
    ['no_open_escalation', 'No open escalation', 'Close the open escalation', false],
    ['value_documented', 'The value the customer got is documented', 'Document the results the customer got', false],
    ['reference', 'The customer is willing to be a reference', 'Ask the customer to be a reference', false],
  ]],
  ['position', 'Position and growth', [
    ['wallet_known', 'Share of wallet is known', 'Estimate the share of wallet', false],
    ['several_product_lines', 'More than one product line', 'Propose a second product line', true],
    ['order_trend', 'The order trend is not falling', 'Find out why orders are falling', true],
    ['open_business', 'There is open business', 'Look for the next deal', true],
  ]],
];
const PLAYBOOKS = {
  opportunity: { id: 'default-opportunity', title: 'Opportunity audit (salesbox default)', areas: OPP_AREAS },
  account: { id: 'default-account', title: 'Customer audit (salesbox default)', areas: ACC_AREAS },
};
const STAGE_MIN = { qualify: [1, 1, 0, 0, 1], discover: [2, 2, 1, 1, 1], propose: [3, 3, 2, 2, 2], negotiate: [3, 3, 3, 3, 3], commit: [4, 3, 4, 3, 4] };
const ABC_MIN = { A: 3, B: 2, C: 1 };

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

export function createAudit(ctx) {
  const { db, byId, newId, stamp, HttpError, teamMemberIds, isoTime } = ctx;
  const answers = []; // { type, id, criterion, answer, note, by, at }
  const actions = []; // { id, activity_id, type, subject_id, criterion, created_at }
  const runs = []; // { id, as_of, scope, items, green, yellow, red, created_at, created_by, colours: {key: colour}, names }
  let nextAnswer = 1;
  let nextAction = 1;

  const bad = (message, field) => new HttpError(400, 'bad_request', message, field);
  const today = () => new Date().toISOString().slice(0, 10);

  function ownersSeen(user) {
    if (user.role === 'rep') return [user.id];
    if (user.role === 'manager') return teamMemberIds(user);
    return null;
  }
  function scopeOf(user, query) {
    let owners = ownersSeen(user);
    let scope = user.role === 'rep' ? `rep:${user.email}` : user.role === 'manager' ? `team:${byId('teams', user.team_id)?.name ?? ''}` : 'company';
    const teamId = query.get('team_id');
    const repId = query.get('rep_id');
    if (teamId) {
      const team = byId('teams', teamId);
      const members = db.users.filter((u) => u.team_id === Number(teamId)).map((u) => u.id);
      owners = owners ? owners.filter((o) => members.includes(o)) : members;
      scope = `team:${team?.name ?? teamId}`;
    }
    if (repId) {
      owners = owners ? owners.filter((o) => o === Number(repId)) : [Number(repId)];
      scope = `rep:${byId('users', repId)?.email ?? repId}`;
    }
    return { owners, scope };
  }
  function asOfOf(query) {
    const asOf = query.get('as_of');
    if (!asOf) return today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw bad(`as_of: "${asOf}" is not a date`, 'as_of');
    if (asOf > today()) throw bad(`as_of: ${asOf} is in the future`, 'as_of');
    return asOf;
  }

  /** The subjects audited: open opportunities and customer accounts whose owner is in scope. */
  function subjects(owners) {
    const inScope = (ownerId) => owners === null || owners.includes(ownerId);
    const opps = db.opportunities.filter((o) => !o.stage.startsWith('closed_') && inScope(o.owner_id)).map((o) => ({ type: 'opportunity', r: o }));
    const accs = db.accounts.filter((a) => a.status === 'customer' && inScope(a.owner_id)).map((a) => ({ type: 'account', r: a }));
    return [...opps, ...accs];
  }

  function latestAnswers(type, id, criterion) {
    return answers.filter((a) => a.type === type && a.id === id && a.criterion === criterion).sort((a, b) => b.n - a.n);
  }
  function answerOf(type, r, c, asOf) {
    const [cid, , , auto] = c;
    if (!auto) {
      const given = latestAnswers(type, r.id, cid).find((a) => a.at.slice(0, 10) <= asOf);
      if (given) return given.answer;
    }
    if (cid === 'next_step_dated') return r.next_step_date && r.next_step_date > asOf ? 'yes' : 'no';
    const x = hash(`${type}:${r.id}:${cid}:${asOf < today() ? asOf.slice(0, 7) : ''}`);
    if (auto) return x < 0.62 ? 'yes' : 'no';
    return x < 0.55 ? 'yes' : x < 0.78 ? 'no' : 'unknown';
  }

  function evaluate(type, r, asOf) {
    const book = PLAYBOOKS[type];
    const minimums = type === 'opportunity' ? STAGE_MIN[r.stage] ?? [0, 0, 0, 0, 0] : Array(5).fill(ABC_MIN[r.abc_class] ?? 1);
    const answered = {};
    const scores = book.areas.map(([, , criteria]) =>
      criteria.reduce((n, c) => {
        const a = answerOf(type, r, c, asOf);
        answered[c[0]] = a;
        return n + (a === 'yes' ? 1 : 0);
      }, 0),
    );
    const reasons = [];
    const acts = [];
    const findings = [];
    let stale = false;
    if (type === 'opportunity' && r.next_step_date && r.next_step_date < asOf) {
      stale = true;
      const days = Math.round((Date.parse(asOf) - Date.parse(r.next_step_date)) / 86_400_000);
      reasons.push(`The next step's date passed ${days} days ago`);
      acts.push('Agree a new dated next step with the customer and record it');
      findings.push({ kind: 'next_step_passed', criterion: null, days, limit: 0 });
    }
    book.areas.forEach(([, , criteria], i) => {
      if (scores[i] >= minimums[i]) return;
      for (const c of criteria) {
        if (answered[c[0]] === 'yes') continue;
        reasons.push(`Not met: ${c[1]}`);
        acts.push(c[2]);
        findings.push({ kind: 'criterion', criterion: c[0], days: 0, limit: 0 });
      }
    });
    const gaps = scores.map((s, i) => Math.max(0, minimums[i] - s));
    const missed = gaps.filter((g) => g > 0);
    const colour = stale || missed.some((g) => g > 1) || missed.length > 2 ? 'red' : missed.length > 0 ? 'yellow' : 'green';
    const owner = byId('users', r.owner_id);
    const value =
      type === 'opportunity'
        ? { minor: Math.round((r.amount ?? 0) * 100), currency: r.currency }
        : (() => {
            const orders = db.orders.filter((o) => o.account_id === r.id);
            return { minor: Math.round(orders.reduce((a, o) => a + o.revenue, 0) * 100), currency: orders[0]?.currency ?? 'DKK' };
          })();
    return {
      subject_type: type,
      id: r.id,
      external_id: r.external_id,
      name: r.name,
      owner: owner?.email ?? null,
      owner_name: owner?.name ?? null,
      team: byId('teams', owner?.team_id)?.name ?? null,
      stage: type === 'opportunity' ? r.stage : 'customer',
      abc_class: type === 'account' ? r.abc_class || null : null,
      colour,
      area_scores: scores,
      area_minimums: minimums,
      stale,
      value,
      answers: answered,
      reasons,
      actions: acts,
      findings,
    };
  }

  const rank = { red: 0, yellow: 1, green: 2 };
  const sortItems = (items) => items.sort((a, b) => rank[a.colour] - rank[b.colour] || b.value.minor - a.value.minor || a.id - b.id);

  function tally(items) {
    const t = { items: items.length, green: 0, yellow: 0, red: 0, value_minor: {} };
    for (const i of items) {
      t[i.colour] += 1;
      const v = (t.value_minor[i.value.currency] ??= { green: 0, yellow: 0, red: 0 });
      v[i.colour] += i.value.minor;
    }
    return t;
  }
  function group(items, keyOf, labelOf, areas) {
    const groups = new Map();
    for (const i of items) {
      const k = keyOf(i);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(i);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => String(a).localeCompare(String(b)))
      .map(([key, rows]) => {
        const n = rows.length;
        const mean = (f) => areas.map((_, x) => Math.round((rows.reduce((a, i) => a + f(i, x), 0) / n) * 1000) / 1000);
        const meanGap = mean((i, x) => Math.max(0, i.area_minimums[x] - i.area_scores[x]));
        const meets = mean((i, x) => (i.area_scores[x] >= i.area_minimums[x] ? 1 : 0));
        let weakest = 0;
        meanGap.forEach((g, x) => {
          if (g > meanGap[weakest]) weakest = x;
        });
        return {
          key,
          label: labelOf(rows[0]),
          tally: tally(rows),
          mean_score: mean((i, x) => i.area_scores[x]),
          meets_minimum: meets,
          mean_gap: meanGap,
          weakest_area: areas[weakest].id,
          weakest_area_name: areas[weakest].name,
        };
      });
  }

  function actionView(a, withSubject) {
    const activity = byId('activities', a.activity_id);
    const subject = a.type === 'opportunity' ? byId('opportunities', a.subject_id) : byId('accounts', a.subject_id);
    const book = PLAYBOOKS[a.type];
    const crit = book.areas.flatMap(([, , c]) => c).find((c) => c[0] === a.criterion);
    const gapClosed = subject && crit ? answerOf(a.type, subject, crit, today()) === 'yes' : false;
    const view = {
      activity_id: a.activity_id,
      criterion_id: a.criterion,
      criterion: crit ? crit[1] : null,
      due: activity?.date?.slice(0, 10) ?? null,
      done: activity?.status === 'completed',
      gap_closed: gapClosed,
    };
    if (!withSubject) return view;
    return { ...view, subject_type: a.type, subject_id: a.subject_id, subject_name: subject?.name ?? '', owner: ctx.emailOf(activity?.owner_id) || null };
  }

  function report(user, query) {
    const asOf = asOfOf(query);
    const { owners, scope } = scopeOf(user, query);
    const all = subjects(owners).map((s) => evaluate(s.type, s.r, asOf));
    const sections = ['opportunity', 'account'].map((type) => {
      const book = PLAYBOOKS[type];
      const areas = book.areas.map(([id, name]) => ({ id, name }));
      const items = all.filter((i) => i.subject_type === type);
      const worst = {};
      for (const i of sortItems([...items]).filter((i) => i.colour !== 'green')) {
        (worst[i.value.currency] ??= []).length < 10 && worst[i.value.currency].push({ id: i.id, name: i.name, colour: i.colour, value_minor: i.value.minor });
      }
      const totalGroup = items.length ? group(items, () => 'all', () => '', areas)[0] : null;
      return {
        subject_type: type,
        playbook: book.id,
        playbook_title: book.title,
        areas,
        total: tally(items),
        mean_gap: totalGroup ? totalGroup.mean_gap : [0, 0, 0, 0, 0],
        by_team: group(items, (i) => i.team ?? '', (i) => i.team ?? '', areas),
        by_rep: group(items, (i) => i.owner ?? '', (i) => i.owner_name ?? '', areas),
        by_segment: [],
        by_stage: group(items, (i) => (type === 'opportunity' ? i.stage : i.abc_class ?? ''), (i) => (type === 'opportunity' ? i.stage : i.abc_class ?? ''), areas),
        worst,
      };
    });
    const previous = runs.filter((r) => r.scope === scope).sort((a, b) => b.id - a.id)[0];
    let trend = null;
    if (previous) {
      trend = { previous_run_id: previous.id, previous_as_of: previous.as_of, to_green: 0, to_yellow: 0, to_red: 0, unchanged: 0, added: 0, gone: 0 };
      const now = new Map(all.map((i) => [`${i.subject_type}:${i.id}`, i.colour]));
      for (const [key, colour] of now) {
        const was = previous.colours[key];
        if (!was) trend.added += 1;
        else if (was === colour) trend.unchanged += 1;
        else trend[`to_${colour}`] += 1;
      }
      for (const key of Object.keys(previous.colours)) if (!now.has(key)) trend.gone += 1;
    }
    const seenOwners = owners;
    const acts = actions
      .filter((a) => {
        const activity = byId('activities', a.activity_id);
        return activity && (seenOwners === null || seenOwners.includes(activity.owner_id) || all.some((i) => i.subject_type === a.type && i.id === a.subject_id));
      })
      .map((a) => actionView(a, true));
    return { as_of: asOf, scope, locale: user.locale, playbooks: 'default-opportunity@mock,default-account@mock', summary: tally(all), sections, trend, actions: acts, all };
  }

  function findItem(user, query, type, id) {
    const asOf = asOfOf(query);
    const { owners } = scopeOf(user, new URLSearchParams());
    const s = subjects(owners).find((x) => x.type === type && x.r.id === id);
    if (!s) throw new HttpError(404, 'not_found', `${type} ${id} is not among the audited items you may see`);
    return { s, asOf };
  }

  function scorecard(user, query) {
    const type = query.get('subject_type');
    if (!PLAYBOOKS[type]) throw bad('subject_type must be opportunity or account', 'subject_type');
    const id = Number(query.get('id'));
    const { s, asOf } = findItem(user, query, type, id);
    const item = evaluate(type, s.r, asOf);
    const record = (a) => {
      const by = byId('users', a.by);
      return { answer: a.answer, note: a.note, answered_by: by ? { id: by.id, name: by.name, email: by.email } : null, answered_at: a.at };
    };
    const areas = PLAYBOOKS[type].areas.map(([aid, name, criteria], x) => ({
      id: aid,
      name,
      score: item.area_scores[x],
      minimum: item.area_minimums[x],
      gap: Math.max(0, item.area_minimums[x] - item.area_scores[x]),
      criteria: criteria.map(([cid, text, action, auto]) => {
        const history = auto ? [] : latestAnswers(type, id, cid).filter((a) => a.at.slice(0, 10) <= asOf).map(record);
        return { id: cid, text, action, auto, answer: item.answers[cid], latest: history[0] ?? null, history };
      }),
    }));
    const items = actions.filter((a) => a.type === type && a.subject_id === id).map((a) => actionView(a, false));
    return { ...item, as_of: asOf, playbook: PLAYBOOKS[type].id, playbook_title: PLAYBOOKS[type].title, areas, action_items: items };
  }

  function mayChangeSubject(user, type, r) {
    if (user.role === 'admin') return true;
    if (user.role === 'executive' || user.role === 'marketing') return false;
    const owners = ownersSeen(user);
    return owners.includes(r.owner_id);
  }

  function compare(fromId, toId) {
    const from = runs.find((r) => r.id === fromId);
    const to = runs.find((r) => r.id === toId);
    if (!from || !to) throw new HttpError(404, 'not_found', 'no such audit run');
    const counts = new Map();
    const toRed = [];
    const toGreen = [];
    const add = (f, t) => counts.set(`${f}>${t}`, (counts.get(`${f}>${t}`) ?? 0) + 1);
    for (const [key, colour] of Object.entries(to.colours)) {
      const was = from.colours[key] ?? 'new';
      add(was, colour);
      const [type, id] = key.split(':');
      if (was !== colour && colour === 'red') toRed.push({ subject_type: type, id: Number(id), name: to.names[key], from: was });
      if (was !== colour && colour === 'green') toGreen.push({ subject_type: type, id: Number(id), name: to.names[key], from: was });
    }
    for (const [key, colour] of Object.entries(from.colours)) if (!(key in to.colours)) add(colour, 'gone');
    const moves = [...counts.entries()].map(([k, count]) => {
      const [f, t] = k.split('>');
      return { from: f, to: t, count };
    }).sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    return { from: runView(from), to: runView(to), moves, to_red: toRed, to_green: toGreen };
  }
  const runView = (r) => ({ id: r.id, as_of: r.as_of, scope: r.scope, playbooks: r.playbooks, items: r.items, green: r.green, yellow: r.yellow, red: r.red, created_at: r.created_at, created_by: r.created_by });

  /** Answers GET/POST under /api/v1/audit; `parts` are the path segments after /api/v1. */
  return async function handle(user, method, parts, query, readBody) {
    if (!['rep', 'manager', 'executive', 'admin'].includes(user.role)) throw new HttpError(403, 'forbidden', 'the audit is for sales roles');
    const route = parts.slice(1).join('/');
    const only = (m) => {
      if (method !== m) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
    };
    if (route === '') {
      only('GET');
      const body = report(user, query);
      delete body.all;
      return [200, body];
    }
    if (route === 'items') {
      only('GET');
      const limit = query.has('limit') ? Number(query.get('limit')) : 50;
      const offset = query.has('offset') ? Number(query.get('offset')) : 0;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw bad(`limit: "${query.get('limit')}" is out of range`, 'limit');
      if (!Number.isInteger(offset) || offset < 0) throw bad(`offset: "${query.get('offset')}" is out of range`, 'offset');
      let items = report(user, query).all;
      const colour = query.get('colour');
      const type = query.get('subject_type');
      const area = query.get('area');
      if (colour) items = items.filter((i) => i.colour === colour);
      if (type) items = items.filter((i) => i.subject_type === type);
      if (area) {
        items = items.filter((i) => {
          const x = PLAYBOOKS[i.subject_type].areas.findIndex(([id]) => id === area);
          return x >= 0 && i.area_scores[x] < i.area_minimums[x];
        });
      }
      sortItems(items);
      return [200, { items: items.slice(offset, offset + limit), total: items.length, limit, offset }];
    }
    if (route === 'scorecard') {
      only('GET');
      return [200, scorecard(user, query)];
    }
    if (route === 'answers') {
      only('POST');
      const body = await readBody();
      const type = body.subject_type;
      if (!PLAYBOOKS[type]) throw bad('subject_type must be opportunity or account', 'subject_type');
      const { s } = findItem(user, new URLSearchParams(), type, Number(body.subject_id));
      if (!mayChangeSubject(user, type, s.r)) throw new HttpError(403, 'forbidden', `your role may not change this ${type}`);
      const crit = PLAYBOOKS[type].areas.flatMap(([, , c]) => c).find((c) => c[0] === body.criterion_id);
      if (!crit) throw new HttpError(422, 'invalid', `no criterion "${body.criterion_id}" in the playbook`, 'criterion_id');
      if (crit[3]) throw new HttpError(422, 'invalid', `criterion "${crit[0]}" is computed from the data and cannot be answered`, 'criterion_id');
      if (!['yes', 'no', 'unknown'].includes(body.answer)) throw new HttpError(422, 'invalid', 'answer must be yes, no or unknown', 'answer');
      const a = { n: nextAnswer++, type, id: s.r.id, criterion: crit[0], answer: body.answer, note: String(body.note ?? ''), by: user.id, at: isoTime(Date.now()) };
      answers.push(a);
      return [201, { id: a.n, subject_type: type, subject_id: a.id, criterion_id: a.criterion, answer: a.answer, note: a.note, answered_by: user.id, answered_at: a.at }];
    }
    if (route === 'actions') {
      only('POST');
      const body = await readBody();
      const type = body.subject_type;
      if (!PLAYBOOKS[type]) throw bad('subject_type must be opportunity or account', 'subject_type');
      const { s } = findItem(user, new URLSearchParams(), type, Number(body.subject_id));
      if (!mayChangeSubject(user, type, s.r)) throw new HttpError(403, 'forbidden', `your role may not change this ${type}`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(body.due ?? '')) throw new HttpError(422, 'invalid', 'due must be a date (YYYY-MM-DD)', 'due');
      const crit = body.criterion_id ? PLAYBOOKS[type].areas.flatMap(([, , c]) => c).find((c) => c[0] === body.criterion_id) : null;
      if (body.criterion_id && !crit) throw new HttpError(422, 'invalid', `no criterion "${body.criterion_id}" in the playbook`, 'criterion_id');
      const ownerId = body.owner_id ?? s.r.owner_id;
      const owner = byId('users', ownerId);
      if (!owner) throw new HttpError(422, 'invalid', `no user ${ownerId}`, 'owner_id');
      if (user.role === 'rep' && owner.id !== user.id) throw new HttpError(403, 'forbidden', 'a rep assigns actions only to themselves', 'owner_id');
      if (user.role === 'manager' && owner.team_id !== user.team_id) throw new HttpError(403, 'forbidden', 'the owner is not in your team', 'owner_id');
      const activity = {
        id: newId('activities'),
        external_id: '',
        type: 'task',
        status: 'planned',
        date: `${body.due}T08:00:00Z`,
        owner_id: owner.id,
        account_id: type === 'account' ? s.r.id : s.r.account_id,
        contact_id: null,
        opportunity_id: type === 'opportunity' ? s.r.id : null,
        lead_id: null,
        outcome: '',
        notes: [crit?.[2], body.note].filter(Boolean).join(' — '),
        ...stamp(),
      };
      db.activities.push(activity);
      const action = { id: nextAction++, activity_id: activity.id, type, subject_id: s.r.id, criterion: crit?.[0] ?? null, created_at: isoTime(Date.now()) };
      actions.push(action);
      return [201, { id: action.id, activity_id: activity.id, subject_type: type, subject_id: s.r.id, criterion_id: action.criterion, created_at: action.created_at }];
    }
    if (route === 'runs') {
      if (method === 'GET') {
        const { scope } = scopeOf(user, new URLSearchParams());
        const mine = runs.filter((r) => scope === 'company' || r.scope === scope);
        return [200, { items: mine.slice().sort((a, b) => b.id - a.id).map(runView) }];
      }
      only('POST');
      if (!['manager', 'executive', 'admin'].includes(user.role)) throw new HttpError(403, 'forbidden', 'saving audit runs is for managers and executives');
      const body = await readBody();
      const q = new URLSearchParams(body.as_of ? { as_of: body.as_of } : {});
      const { all, as_of, scope, summary, playbooks } = report(user, q);
      const run = {
        id: runs.length + 1,
        as_of,
        scope,
        playbooks,
        items: summary.items,
        green: summary.green,
        yellow: summary.yellow,
        red: summary.red,
        created_at: isoTime(Date.now()),
        created_by: user.id,
        colours: Object.fromEntries(all.map((i) => [`${i.subject_type}:${i.id}`, i.colour])),
        names: Object.fromEntries(all.map((i) => [`${i.subject_type}:${i.id}`, i.name])),
      };
      runs.push(run);
      return [201, runView(run)];
    }
    if (/^runs\/\d+$/.test(route)) {
      only('GET');
      const run = runs.find((r) => r.id === Number(parts[2]));
      if (!run) throw new HttpError(404, 'not_found', 'no such audit run');
      return [200, runView(run)];
    }
    if (route === 'compare') {
      only('GET');
      return [200, compare(Number(query.get('from')), Number(query.get('to')))];
    }
    throw new HttpError(404, 'not_found', `no route ${method} /api/v1/${parts.join('/')}`);
  };
}

