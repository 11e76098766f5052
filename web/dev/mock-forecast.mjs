// SPDX-License-Identifier: MIT
// The forecast routes of the mock server (docs/api.md, "The forecast (`/api/v1/forecast...`)"):
// a small stand-in for the real engine so the Forecast page and its browser scenarios run against
// the mock. A made-up logistic score per open deal (stage, days since the last activity, amount
// against the typical, the rep's win rate, forecast category) with its factors in words, a seeded
// Monte Carlo roll-up with slips, the fan per week end, the optimism per rep with a t interval, a
// backtest on synthetic examples (real Brier, log loss, AUC and reliability bins), and snapshots
// with "what moved". `?mock_method=stage_rates` shows the little-history fallback.

const DAY = 86_400_000;
const STAGE_LOGIT = { qualify: -2.3, discover: -1.6, propose: -0.8, negotiate: -0.2, commit: 0.45 };
const STAGE_RATE = { qualify: 0.09, discover: 0.17, propose: 0.31, negotiate: 0.45, commit: 0.61 };
const STAGE_SLIP = { qualify: 0.45, discover: 0.35, propose: 0.28, negotiate: 0.2, commit: 0.12 };
const STAGE_DEFAULT = { qualify: 0.1, discover: 0.2, propose: 0.4, negotiate: 0.6, commit: 0.8 };
const TRIALS = 4000;

function mulberry(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const round4 = (x) => Math.round(x * 10000) / 10000;
const money = (amount, currency) => ({ currency, amount: Math.round(amount * 100) / 100, amount_minor: Math.round(amount * 100) });
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const dateMs = (s) => Date.parse(`${s}T00:00:00Z`);
const pad2 = (n) => String(n).padStart(2, '0');

function parsePeriod(key) {
  let m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const first = (Number(m[2]) - 1) * 3;
    return { label: `${y}-Q${m[2]}`, start: isoDate(Date.UTC(y, first, 1)), end: isoDate(Date.UTC(y, first + 3, 0)) };
  }
  m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    return { label: `${y}-${m[2]}`, start: isoDate(Date.UTC(y, mo, 1)), end: isoDate(Date.UTC(y, mo + 1, 0)) };
  }
  return null;
}
const quarterOf = (date) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

/** Nearest-rank quantile of sorted values. */
const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : 0);

export function createForecast({ db, byId, HttpError, ownersSeen, today, isoTime }) {
  const todayIso = isoDate(today.getTime());
  const bad = (message, field) => new HttpError(400, 'bad_request', message, field);
  const forbidden = (message) => new HttpError(403, 'forbidden', message);
  const userName = (id) => byId('users', id)?.name ?? '';
  const teamName = (id) => byId('teams', byId('users', id)?.team_id)?.name ?? null;
  const closed = () => db.opportunities.filter((o) => o.stage === 'closed_won' || o.stage === 'closed_lost');

  function repWinRate(ownerId) {
    const mine = closed().filter((o) => o.owner_id === ownerId);
    const won = mine.filter((o) => o.stage === 'closed_won').length;
    return (won + 2) / (mine.length + 5); // shrunk towards 40 %
  }
  // Each rep states probabilities with a bias of their own (what the optimism index finds).
  const repBias = (ownerId) => [0.22, 0.05, 0.12, -0.06, 0.16, 0.02, 0.09, -0.02, 0.14][ownerId % 9];

  function medianAmount() {
    const amounts = db.opportunities.map((o) => o.amount).sort((a, b) => a - b);
    return amounts[Math.floor(amounts.length / 2)] || 1;
  }

  /** The model's view of one open deal: probability, slip chance and factors in words. */
  function score(o, asOf, method) {
    const stageRate = STAGE_RATE[o.stage] ?? 0.2;
    if (method === 'stage_rates') {
      return {
        p: stageRate,
        slip: STAGE_SLIP[o.stage] ?? 0.3,
        factors: { up: [], down: [{ feature: 'stage', label: `stage ${o.stage.replace(/_/g, ' ')} (win rate of the stage)`, effect: round4(Math.log(stageRate / (1 - stageRate))) }] },
      };
    }
    const contributions = [];
    const add = (feature, label, effect) => contributions.push({ feature, label, effect: round4(effect) });
    const asOfMs = dateMs(asOf);
    const acts = db.activities.filter((a) => a.account_id === o.account_id && a.status === 'completed' && Date.parse(a.date) <= asOfMs + DAY);
    const last = acts.reduce((m, a) => Math.max(m, Date.parse(a.date)), 0);
    const idle = last ? Math.floor((asOfMs - last) / DAY) : 999;
    if (idle > 30) add('activity_recency', idle >= 999 ? 'no activity with the customer yet' : `no activity for ${idle} days`, -Math.min(1.4, 0.3 + idle / 90));
    else add('activity_recency', `customer contact ${Math.max(0, idle)} days ago`, 0.35);
    if (acts.length >= 3) add('activity_count', `${acts.length} activities with the customer`, 0.25);
    const ratio = o.amount / medianAmount();
    if (ratio > 1.6) add('amount_vs_typical', `amount ${ratio.toFixed(1)}× the typical deal`, -0.45 * Math.log(ratio));
    else if (ratio < 0.6) add('amount_vs_typical', 'smaller than the typical deal', 0.2);
    const hist = db.history.filter((h) => h.opportunity_id === o.id && h.stage === o.stage);
    const entered = hist.length ? Date.parse(hist[0].changed_at) : Date.parse(o.created_at);
    const inStage = Math.max(0, Math.floor((asOfMs - entered) / DAY));
    if (inStage > 30) add('days_in_stage', `${inStage} days in ${o.stage} (typical 21)`, -0.3 - inStage / 200);
    const wr = repWinRate(o.owner_id);
    if (wr > 0.45) add('rep_win_rate', `rep wins ${Math.round(wr * 100)}% of closed deals`, 0.4);
    else if (wr < 0.35) add('rep_win_rate', `rep wins ${Math.round(wr * 100)}% of closed deals`, -0.35);
    if (o.close_date && o.close_date < asOf) add('close_date_passed', 'close date has passed', -0.5);
    if (o.id % 3 === 0) add('eb_met', 'economic buyer met', 0.55);
    if (o.id % 4 === 1) add('mutual_plan', 'no mutual action plan', -0.3);
    if (o.id % 5 === 2) add('icp_fit', 'account fits the ideal customer profile', 0.3);
    const logit = (STAGE_LOGIT[o.stage] ?? -1) + contributions.reduce((s, c) => s + c.effect, 0);
    const p = Math.min(0.97, Math.max(0.02, sigmoid(logit)));
    const slip = Math.min(0.8, (STAGE_SLIP[o.stage] ?? 0.3) + (o.close_date && o.close_date < asOf ? 0.15 : 0));
    return {
      p,
      slip,
      factors: {
        up: contributions.filter((c) => c.effect > 0).sort((a, b) => b.effect - a.effect),
        down: contributions.filter((c) => c.effect < 0).sort((a, b) => a.effect - b.effect),
      },
    };
  }

  function stated(o) {
    const p = o.probability ?? STAGE_DEFAULT[o.stage] ?? 0.2;
    return Math.min(0.95, Math.max(0.05, p));
  }

  /** Owners the caller may look at, narrowed by team_id/rep_id; throws the documented errors. */
  function scopeOwners(user, params) {
    if (user.role === 'marketing') throw forbidden('marketing has no forecast');
    const seen = ownersSeen(user);
    let owners = db.users.filter((u) => u.role === 'rep' || u.role === 'manager').map((u) => u.id);
    if (seen) owners = owners.filter((id) => seen.includes(id));
    const teamId = params.get('team_id');
    const repId = params.get('rep_id');
    if (teamId) {
      if (!/^\d+$/.test(teamId)) throw bad('team_id must be a number', 'team_id');
      const team = byId('teams', teamId);
      if (!team) throw new HttpError(404, 'not_found', `team ${teamId} not found`);
      if (seen && user.team_id !== team.id) throw forbidden(`team ${teamId} is outside your scope`);
      owners = owners.filter((id) => byId('users', id)?.team_id === team.id);
    }
    if (repId) {
      if (!/^\d+$/.test(repId)) throw bad('rep_id must be a number', 'rep_id');
      const rep = byId('users', repId);
      if (!rep) throw new HttpError(404, 'not_found', `user ${repId} not found`);
      if (seen && !seen.includes(rep.id)) throw forbidden(`user ${repId} is outside your scope`);
      owners = owners.filter((id) => id === rep.id);
    }
    return owners;
  }

  function readAsOf(params) {
    const asOf = params.get('as_of') || todayIso;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(dateMs(asOf))) throw bad(`as_of "${asOf}" is not a date (YYYY-MM-DD)`, 'as_of');
    return asOf;
  }

  /** The roll-up of won and open deals per currency, with the simulated quantiles per trial. */
  function simulate(won, open, seed) {
    const rand = mulberry(seed);
    const draws = open.map(() => new Uint8Array(TRIALS));
    open.forEach((d, i) => {
      for (let t = 0; t < TRIALS; t++) draws[i][t] = rand() < d.p && rand() >= d.slip ? 1 : 0;
    });
    return draws;
  }

  function rollup(currency, won, open, draws, pick = () => true) {
    const wonSum = won.filter((d) => d.currency === currency && pick(d)).reduce((s, d) => s + d.amount, 0);
    const idx = open.map((d, i) => i).filter((i) => open[i].currency === currency && pick(open[i]));
    const sum = (f) => idx.reduce((s, i) => s + f(open[i]), 0);
    const trials = new Float64Array(TRIALS);
    for (const i of idx) for (let t = 0; t < TRIALS; t++) if (draws[i][t]) trials[t] += open[i].amount;
    const sorted = Array.from(trials).sort((a, b) => a - b);
    const commit = wonSum + sum((d) => (d.category === 'commit' ? d.amount : 0));
    return {
      currency,
      deals: idx.length,
      closed_won: money(wonSum, currency),
      pipeline: money(sum((d) => d.amount), currency),
      stated: money(sum((d) => d.amount * d.stated), currency),
      commit: money(commit, currency),
      best_case: money(commit + sum((d) => (d.category === 'best_case' ? d.amount : 0)), currency),
      expected: money(wonSum + sum((d) => d.amount * d.p * (1 - d.slip)), currency),
      p10: money(wonSum + quantile(sorted, 0.1), currency),
      p50: money(wonSum + quantile(sorted, 0.5), currency),
      p90: money(wonSum + quantile(sorted, 0.9), currency),
    };
  }

  function forecast(user, params) {
    const owners = scopeOwners(user, params);
    const asOf = readAsOf(params);
    const periodKey = params.get('period') || quarterOf(asOf);
    const period = parsePeriod(periodKey);
    if (!period) throw bad(`period "${periodKey}" is not a quarter (2026-Q4) or a month (2026-11)`, 'period');
    const limit = Number(params.get('limit') ?? 50);
    const offset = Number(params.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw bad('limit must be 1..500', 'limit');
    if (!Number.isInteger(offset) || offset < 0) throw bad('offset must be 0 or more', 'offset');
    const closedCount = closed().length;
    const method = params.get('mock_method') === 'stage_rates' || closedCount < 20 ? 'stage_rates' : 'model';
    const inScope = db.opportunities.filter((o) => owners.includes(o.owner_id));
    const won = inScope
      .filter((o) => o.stage === 'closed_won' && o.closed_date && o.closed_date >= period.start && o.closed_date <= period.end && o.closed_date <= asOf)
      .map((o) => ({ id: o.id, owner_id: o.owner_id, currency: o.currency, amount: o.amount, date: o.closed_date }));
    // Every open deal in scope is listed (with in_period); the roll-up takes those expected to
    // close in the period: close date in it, or past and still open while the period runs.
    const allOpen = inScope
      .filter((o) => !['closed_won', 'closed_lost'].includes(o.stage))
      .map((o) => {
        const s = score(o, asOf, method);
        const inPeriod = !!o.close_date && o.close_date <= period.end && (o.close_date >= period.start || (asOf >= period.start && asOf <= period.end));
        return { o, id: o.id, owner_id: o.owner_id, currency: o.currency, amount: o.amount, p: s.p, slip: s.slip, factors: s.factors, stated: stated(o), category: o.forecast_category, inPeriod, expectedClose: o.close_date < asOf ? asOf : o.close_date };
      });
    const open = allOpen.filter((d) => d.inPeriod);
    const draws = simulate(won, open, 20260101);
    const currencies = [...new Set([...won, ...open].map((d) => d.currency))].sort();
    const totals = currencies.map((c) => rollup(c, won, open, draws));

    const groups = [];
    const teamIds = [...new Set(owners.map((id) => byId('users', id)?.team_id).filter(Boolean))];
    const showTeams = user.role === 'executive' || user.role === 'admin' || (user.role === 'manager' && !params.get('rep_id'));
    if (showTeams) {
      for (const tid of teamIds) {
        const team = byId('teams', tid);
        for (const c of currencies) {
          const pick = (d) => byId('users', d.owner_id)?.team_id === tid;
          if (![...won, ...open].some((d) => d.currency === c && pick(d))) continue;
          groups.push({ level: 'team', id: tid, name: team.name, ...rollup(c, won, open, draws, pick) });
        }
      }
    }
    for (const id of owners) {
      for (const c of currencies) {
        const pick = (d) => d.owner_id === id;
        if (![...won, ...open].some((d) => d.currency === c && pick(d))) continue;
        groups.push({ level: 'rep', id, name: userName(id), ...rollup(c, won, open, draws, pick) });
      }
    }

    // The fan: one point per week end (Sunday) and the period's last day.
    const dates = [];
    for (let ms = dateMs(period.start); ms <= dateMs(period.end); ms += DAY) {
      const d = isoDate(ms);
      if (new Date(ms).getUTCDay() === 0 || d === period.end) dates.push(d);
    }
    const fan = currencies.map((c) => ({
      currency: c,
      points: dates.map((date) => {
        const wonBy = won.filter((d) => d.currency === c && d.date <= date).reduce((s, d) => s + d.amount, 0);
        const due = open.map((d, i) => i).filter((i) => open[i].currency === c && open[i].expectedClose <= date);
        const trials = new Float64Array(TRIALS);
        for (const i of due) for (let t = 0; t < TRIALS; t++) if (draws[i][t]) trials[t] += open[i].amount;
        const sorted = Array.from(trials).sort((a, b) => a - b);
        const exp = due.reduce((s, i) => s + open[i].amount * open[i].p * (1 - open[i].slip), 0);
        return {
          date,
          closed_won: money(wonBy, c),
          expected: money(wonBy + exp, c),
          p10: money(wonBy + quantile(sorted, 0.1), c),
          p50: money(wonBy + quantile(sorted, 0.5), c),
          p90: money(wonBy + quantile(sorted, 0.9), c),
        };
      }),
    }));

    const deals = allOpen
      .map((d) => ({
        id: d.id,
        name: d.o.name,
        account_id: d.o.account_id,
        account: byId('accounts', d.o.account_id)?.name ?? null,
        owner_id: d.owner_id,
        owner: userName(d.owner_id),
        team: teamName(d.owner_id),
        stage: d.o.stage,
        amount: money(d.amount, d.currency),
        close_date: d.o.close_date,
        forecast_category: d.category,
        p_model: round4(d.p),
        p_stated: round4(d.stated),
        difference: round4(d.stated - d.p),
        p_slip: round4(d.slip),
        in_period: d.inPeriod,
        factors: d.factors,
      }))
      .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || a.id - b.id);

    // Optimism: each closed deal of the rep as it stood at "propose", stated against the outcome.
    const optimism = owners.map((id) => {
      const mine = closed().filter((o) => o.owner_id === id);
      const n = mine.length;
      const diffs = mine.map((o, k) => Math.min(0.95, Math.max(0.05, 0.4 + repBias(id) + ((k % 5) - 2) * 0.03)) - (o.stage === 'closed_won' ? 1 : 0));
      const statedMean = n ? mine.reduce((s, o, k) => s + Math.min(0.95, Math.max(0.05, 0.4 + repBias(id) + ((k % 5) - 2) * 0.03)), 0) / n : null;
      const winRate = n ? mine.filter((o) => o.stage === 'closed_won').length / n : null;
      let lower = null;
      let upper = null;
      const opt = n ? statedMean - winRate : null;
      // Each closed deal is seen at about four month starts before it closed.
      const examples = n * 4;
      if (n >= 2) {
        const mean = diffs.reduce((s, v) => s + v, 0) / n;
        const sd = Math.sqrt(diffs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
        const tq = examples < 10 ? 2.31 : examples < 30 ? 2.09 : 2.0;
        lower = round4(opt - (tq * sd) / Math.sqrt(examples));
        upper = round4(opt + (tq * sd) / Math.sqrt(examples));
      }
      return { rep_id: id, name: userName(id), team: teamName(id), examples, mean_stated: statedMean === null ? null : round4(statedMean), win_rate: winRate === null ? null : round4(winRate), optimism: opt === null ? null : round4(opt), lower, upper };
    });

    return {
      as_of: asOf,
      period,
      method,
      method_reason:
        method === 'model'
          ? `${closedCount * 4} examples from ${closedCount} closed deals; the model is calibrated on the last 6 months`
          : `only ${closedCount} closed deals (at least 200 are needed for the model): win rate per stage with a Beta prior`,
      model: method === 'model' ? { closed_deals: closedCount, examples: closedCount * 4, calibration: 'isotonic', features: ['stage', 'days_in_stage', 'deal_age', 'amount_vs_typical', 'activity_recency', 'activity_count', 'rep_win_rate', 'icp_fit', 'eb_met', 'mutual_plan'] } : null,
      totals,
      groups,
      fan,
      deals: deals.slice(offset, offset + limit),
      deals_total: deals.length,
      limit,
      offset,
      optimism,
    };
  }

  function backtest(user, params) {
    if (!['manager', 'executive', 'admin'].includes(user.role)) throw forbidden('the backtest is for managers and up');
    const asOf = readAsOf(params);
    const cutoff = isoDate(dateMs(asOf) - 365 * DAY);
    const rand = mulberry(7);
    const rows = [];
    for (let i = 0; i < 640; i++) {
      const stage = ['qualify', 'discover', 'propose', 'negotiate', 'commit'][Math.floor(rand() * 5)];
      const truth = Math.min(0.95, Math.max(0.02, STAGE_RATE[stage] + (rand() - 0.5) * 0.5));
      const y = rand() < truth ? 1 : 0;
      rows.push({
        y,
        model: Math.min(0.98, Math.max(0.02, truth + (rand() - 0.5) * 0.12)),
        stated: Math.min(0.95, Math.max(0.05, STAGE_DEFAULT[stage] + 0.1 + (rand() - 0.5) * 0.2)),
        stage_default: STAGE_DEFAULT[stage],
      });
    }
    const metrics = (key) => {
      const n = rows.length;
      const brier = rows.reduce((s, r) => s + (r[key] - r.y) ** 2, 0) / n;
      const logLoss = -rows.reduce((s, r) => s + (r.y ? Math.log(r[key]) : Math.log(1 - r[key])), 0) / n;
      const pos = rows.filter((r) => r.y);
      const neg = rows.filter((r) => !r.y);
      let wins = 0;
      for (const p of pos) for (const q of neg) wins += p[key] > q[key] ? 1 : p[key] === q[key] ? 0.5 : 0;
      const reliability = Array.from({ length: 10 }, (_, b) => {
        const lower = b / 10;
        const upper = (b + 1) / 10;
        const inBin = rows.filter((r) => r[key] >= lower && (r[key] < upper || (b === 9 && r[key] <= 1)));
        return {
          lower,
          upper,
          count: inBin.length,
          mean_predicted: inBin.length ? round4(inBin.reduce((s, r) => s + r[key], 0) / inBin.length) : null,
          observed_rate: inBin.length ? round4(inBin.filter((r) => r.y).length / inBin.length) : null,
        };
      });
      return { brier: round4(brier), log_loss: round4(logLoss), auc: round4(wins / (pos.length * neg.length)), reliability };
    };
    return { cutoff, train: { examples: 1480, closed_deals: 370 }, test: { examples: rows.length }, method: 'model', model: metrics('model'), stated: metrics('stated'), stage_default: metrics('stage_default') };
  }

  // --- snapshots -------------------------------------------------------------------------------------

  const snapshots = [];
  function takeSnapshot(asOf, periodKey, takenAt, mutate = (d) => d) {
    const period = parsePeriod(periodKey);
    const deals = db.opportunities
      .filter((o) => !['closed_won', 'closed_lost'].includes(o.stage))
      .map((o) => {
        const s = score(o, asOf, 'model');
        return { opportunity_id: o.id, name: o.name, owner_id: o.owner_id, stage: o.stage, amount: o.amount, currency: o.currency, close_date: o.close_date, forecast_category: o.forecast_category, p_model: round4(s.p), p_slip: round4(s.slip), p_stated: stated(o) };
      })
      .map(mutate)
      .filter(Boolean);
    const snap = { id: snapshots.length + 1, taken_at: takenAt, as_of: asOf, period: period.label, periodEnd: period.end, deals };
    snapshots.push(snap);
    return snap;
  }
  // A week-old snapshot in which some deals differ, so "what moved" has something to show.
  {
    const weekAgo = isoDate(today.getTime() - 7 * DAY);
    const old = takeSnapshot(weekAgo, quarterOf(weekAgo), isoTime(today.getTime() - 7 * DAY + 7 * 3600_000), (d) => {
      if (d.opportunity_id % 9 === 0) return null; // new since
      const x = { ...d };
      if (d.opportunity_id % 7 === 1) x.amount = Math.round(d.amount * 0.8);
      if (d.opportunity_id % 7 === 2) x.amount = Math.round(d.amount * 1.25);
      if (d.opportunity_id % 6 === 3) x.close_date = isoDate(dateMs(d.close_date) - 40 * DAY);
      if (d.opportunity_id % 6 === 4) x.close_date = isoDate(dateMs(d.close_date) + 45 * DAY);
      return x;
    });
    // Deals closed in the last weeks were still open then.
    for (const o of closed().filter((c) => c.closed_date && c.closed_date >= isoDate(today.getTime() - 40 * DAY))) {
      old.deals.push({ opportunity_id: o.id, name: o.name, owner_id: o.owner_id, stage: 'negotiate', amount: o.amount, currency: o.currency, close_date: o.close_date, forecast_category: 'commit', p_model: 0.45, p_slip: 0.2, p_stated: 0.6 });
    }
  }

  function snapshotView(user, snap) {
    const seen = ownersSeen(user);
    const deals = snap.deals.filter((d) => !seen || seen.includes(d.owner_id));
    const open = deals.map((d) => ({ ...d, p: d.p_model, slip: d.p_slip, stated: d.p_stated, category: d.forecast_category }));
    const draws = simulate([], open, snap.id);
    const currencies = [...new Set(open.map((d) => d.currency))].sort();
    return { id: snap.id, taken_at: snap.taken_at, as_of: snap.as_of, period: snap.period, deals: deals.length, totals: currencies.map((c) => rollup(c, [], open, draws)) };
  }

  function moved(user, params) {
    if (user.role === 'marketing') throw forbidden('marketing has no forecast');
    const get = (name) => {
      const v = params.get(name);
      if (!/^\d+$/.test(v ?? '')) throw bad(`${name} must be a snapshot id`, name);
      const s = snapshots.find((x) => x.id === Number(v));
      if (!s) throw new HttpError(404, 'not_found', `snapshot ${v} not found`);
      return s;
    };
    const from = get('from');
    const to = get('to');
    const seen = ownersSeen(user);
    const mine = (d) => !seen || seen.includes(d.owner_id);
    const before = new Map(from.deals.filter(mine).map((d) => [d.opportunity_id, d]));
    const after = new Map(to.deals.filter(mine).map((d) => [d.opportunity_id, d]));
    const moves = [];
    const push = (kind, b, a) => {
      const x = a ?? b;
      moves.push({
        kind,
        opportunity_id: x.opportunity_id,
        name: x.name,
        owner_id: x.owner_id,
        owner: userName(x.owner_id),
        stage_before: b?.stage ?? null,
        stage_after: a?.stage ?? null,
        amount_before: b ? money(b.amount, b.currency) : null,
        amount_after: a ? money(a.amount, a.currency) : null,
        close_before: b?.close_date ?? null,
        close_after: a?.close_date ?? null,
      });
    };
    for (const [id, a] of after) {
      const b = before.get(id);
      if (!b) {
        push('new', null, a);
        continue;
      }
      if (b.close_date <= from.periodEnd && a.close_date > from.periodEnd) push('pushed_out', b, a);
      if (b.close_date > from.periodEnd && a.close_date <= from.periodEnd) push('pulled_in', b, a);
      if (a.amount > b.amount) push('amount_up', b, a);
      if (a.amount < b.amount) push('amount_down', b, a);
    }
    for (const [id, b] of before) {
      if (after.has(id)) continue;
      const now = byId('opportunities', id);
      if (now?.stage === 'closed_won') push('won', b, { ...b, stage: 'closed_won' });
      else if (now?.stage === 'closed_lost') push('lost', b, { ...b, stage: 'closed_lost' });
    }
    const summary = [];
    for (const kind of ['new', 'won', 'lost', 'pushed_out', 'pulled_in', 'amount_up', 'amount_down']) {
      const ms = moves.filter((m) => m.kind === kind);
      if (!ms.length) continue;
      const byCur = new Map();
      for (const m of ms) {
        const amt = m.amount_after ?? m.amount_before;
        byCur.set(amt.currency, (byCur.get(amt.currency) ?? 0) + amt.amount);
      }
      summary.push({ kind, count: ms.length, amounts: [...byCur].sort().map(([c, a]) => money(a, c)) });
    }
    return { from: snapshotView(user, from), to: snapshotView(user, to), summary, moves };
  }

  return async function handle(user, method, parts, params, readBody) {
    const sub = parts[1] ?? '';
    if (user.role === 'marketing') throw forbidden('marketing has no forecast');
    if (parts.length === 1 && method === 'GET') return [200, forecast(user, params)];
    if (sub === 'backtest' && parts.length === 2 && method === 'GET') return [200, backtest(user, params)];
    if (sub === 'moved' && parts.length === 2 && method === 'GET') return [200, moved(user, params)];
    if (sub === 'snapshots' && parts.length === 2) {
      if (method === 'GET') return [200, { items: snapshots.slice().reverse().map((s) => snapshotView(user, s)) }];
      if (method === 'POST') {
        if (!['manager', 'executive', 'admin'].includes(user.role)) throw forbidden('only managers and up take snapshots');
        const body = await readBody();
        for (const k of Object.keys(body ?? {})) if (!['as_of', 'period'].includes(k)) throw bad(`unknown field "${k}"`, k);
        const asOf = body.as_of ?? todayIso;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw bad(`as_of "${asOf}" is not a date (YYYY-MM-DD)`, 'as_of');
        const periodKey = body.period ?? quarterOf(asOf);
        if (!parsePeriod(periodKey)) throw bad(`period "${periodKey}" is not a quarter or a month`, 'period');
        const snap = takeSnapshot(asOf, periodKey, isoTime(Date.now()));
        return [201, snapshotView(user, snap)];
      }
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
    }
    if (parts.length <= 2) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
    throw new HttpError(404, 'not_found', 'no such route');
  };
}
