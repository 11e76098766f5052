#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// How the web app's pages feel (issue 12's bar: every page reaches network idle in < 1 s for an
// executive and a manager). Signs in through the API as the demo executive and the demo manager,
// each in a fresh browser context of headless Chromium (playwright-core from web/node_modules,
// Debian's /usr/bin/chromium), and loads every page of the app by URL: one pass over all pages
// (first visit: empty browser cache, the server may still have to make the answer), then a second
// pass (warm browser cache, the server's answers shared or cached). For each load it records the
// time from navigation start until the last request of the page finished, i.e. the moment the
// network went idle (Playwright's `networkidle` then waits a further 500 ms quiet window, which
// is not counted), read from the page's Navigation and Resource Timing entries.
//
// Prints one line per (user, page, visit), then one summary line per user with the slowest page.
// Exits 1 when a page answers an HTTP error (>= 400), a request fails, the page logs a console
// error or throws, a request leaves 127.0.0.1, or a page does not go idle within --timeout; exits
// 2 on a usage error. Stops by itself: every wait is bounded and the whole run has a deadline.
//
//   node bench/web/page-times.mjs http://127.0.0.1:PORT [--screenshots DIR] [--budget 1000]
//       [--timeout 20000] [--deadline 600] [--json FILE] [--only page,page]
//
// --screenshots DIR saves a full-page PNG of each user's slowest page (loaded once more after the
// measurements, not timed). --json FILE writes every measurement as JSON.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const { chromium } = createRequire(resolve(root, 'web/package.json'))('playwright-core');

const USAGE =
  'usage: page-times.mjs http://127.0.0.1:PORT [--screenshots DIR] [--budget MS] [--timeout MS] ' +
  '[--deadline S] [--json FILE] [--only page,page]';
const args = process.argv.slice(2);
const opts = { budget: 1000, timeout: 20_000, deadline: 600, screenshots: null, json: null, only: null };
let base = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    return args[++i];
  };
  if (a === '--screenshots') opts.screenshots = resolve(value());
  else if (a === '--json') opts.json = resolve(value());
  else if (a === '--only') opts.only = value().split(',');
  else if (a === '--budget') opts.budget = Number(value());
  else if (a === '--timeout') opts.timeout = Number(value());
  else if (a === '--deadline') opts.deadline = Number(value());
  else if (a === '--help' || a === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else if (!a.startsWith('-') && base === null) base = a.replace(/\/+$/, '');
  else usage(`unknown argument ${a}`);
}
if (!base) usage('the server URL is missing');
for (const k of ['budget', 'timeout', 'deadline']) if (!(opts[k] > 0)) usage(`--${k} must be a positive number`);
let origin;
try {
  const u = new URL(base);
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') throw new Error('not http://127.0.0.1');
  origin = u.origin;
} catch {
  usage(`the server URL must be http://127.0.0.1:PORT, not ${base}`);
}

function usage(message) {
  console.error(`page-times: ${message}\n${USAGE}`);
  process.exit(2);
}

// The whole run is bounded, whatever hangs.
const deadline = setTimeout(() => {
  console.error(`page-times: not done after ${opts.deadline} s; giving up`);
  process.exit(1);
}, opts.deadline * 1000);
deadline.unref();

const PASSWORD = 'salesbox-demo';
const USERS = [
  { role: 'executive', email: 'peter.lund@demo.salesbox.example' },
  { role: 'manager', email: 'mette.kjaer@demo.salesbox.example' },
];

/** Every page of the app (web/src/routes.ts, except sign-in); `ids` are looked up per user. */
const PAGES = [
  { name: 'home', path: () => '/' },
  { name: 'accounts', path: () => '/accounts' },
  { name: 'account', path: (ids) => `/accounts/${ids.account}` },
  { name: 'opportunities', path: () => '/opportunities' },
  { name: 'opportunity', path: (ids) => `/opportunities/${ids.opportunity}` },
  { name: 'board', path: () => '/board' },
  { name: 'activities', path: () => '/activities' },
  { name: 'leads', path: () => '/leads' },
  { name: 'audit', path: () => '/audit' },
  { name: 'audit-runs', path: () => '/audit/runs' },
  { name: 'scorecard', path: (ids) => `/audit/opportunity/${ids.scorecard}` },
  { name: 'forecast', path: () => '/forecast' },
  { name: 'customer-value', path: () => '/customer-value' },
  { name: 'segments', path: () => '/segments' },
  { name: 'strategy', path: () => '/strategy' },
  { name: 'alignment', path: () => '/alignment' },
  { name: 'settings', path: () => '/settings' },
].filter((p) => !opts.only || opts.only.includes(p.name));
if (PAGES.length === 0) usage('--only names no page');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  timeout: 30_000,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-proxy-server',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    // Nothing but 127.0.0.1 resolves: the browser cannot talk to anything else.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ],
});

const results = [];
let headerPrinted = false;
const problems = [];
let exitCode = 0;
try {
  for (const user of USERS) await measureUser(user);
} catch (e) {
  problems.push(`run: ${String(e?.message ?? e).split('\n')[0]}`);
} finally {
  await browser.close().catch(() => {});
}

if (opts.json) writeFileSync(opts.json, JSON.stringify({ base, budget_ms: opts.budget, results, problems }, null, 2));
if (problems.length > 0) {
  console.log(`\n${problems.length} problem(s):`);
  for (const p of problems) console.log(`  ${p}`);
  exitCode = 1;
}
process.exit(exitCode);

async function measureUser(user) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Copenhagen',
  });
  context.setDefaultTimeout(opts.timeout);
  context.setDefaultNavigationTimeout(opts.timeout);
  try {
    // Sign in through the API; the context keeps the sb_session cookie for the pages.
    const res = await context.request.post(`${origin}/api/v1/session`, {
      data: { email: user.email, password: PASSWORD },
      timeout: opts.timeout,
    });
    if (res.status() !== 200) throw new Error(`${user.role}: sign-in answered ${res.status()}`);
    if (!(await context.cookies(origin)).some((c) => c.name === 'sb_session')) {
      throw new Error(`${user.role}: sign-in set no sb_session cookie`);
    }
    const ids = await lookUpIds(context, user);

    const page = await context.newPage();
    let current = null; // the (page, visit) being measured, for the listeners
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${where(current)}: HTTP ${r.status()} ${r.request().method()} ${short(r.url())}`);
    });
    page.on('requestfailed', (r) => {
      problems.push(`${where(current)}: request failed ${r.method()} ${short(r.url())}: ${r.failure()?.errorText}`);
    });
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['http:', 'data:', 'blob:'].includes(u.protocol) || (u.protocol === 'http:' && u.origin !== origin)) {
        problems.push(`${where(current)}: request outside ${origin}: ${r.url()}`);
      }
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${where(current)}: console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${where(current)}: page error: ${e.message}`));

    const mine = [];
    for (const visit of [1, 2]) {
      for (const p of PAGES) {
        const path = p.path(ids);
        current = { user: user.role, page: p.name, visit };
        const r = await measure(page, path, current);
        const row = { user: user.role, page: p.name, path, visit, ...r };
        results.push(row);
        mine.push(row);
        printRow(row);
      }
    }

    // The slowest page is the one with the slowest of its visits.
    const worst = mine.filter((r) => r.ms !== null).sort((a, b) => b.ms - a.ms)[0];
    const over = new Set(mine.filter((r) => r.ms === null || r.ms >= opts.budget).map((r) => r.page));
    if (worst) {
      const both = mine.filter((r) => r.page === worst.page).map((r) => fmtMs(r.ms));
      console.log(
        `summary ${user.role}: slowest page ${worst.page} (${worst.path}): first ${both[0]}, second ${both[1] ?? '-'}; ` +
          `${over.size === 0 ? `every page under ${opts.budget} ms` : `${over.size} page(s) at or over ${opts.budget} ms: ${[...over].join(', ')}`}`,
      );
      if (opts.screenshots) {
        mkdirSync(opts.screenshots, { recursive: true });
        current = { user: user.role, page: worst.page, visit: 'screenshot' };
        await page.goto(`${origin}${worst.path}`, { waitUntil: 'networkidle' });
        const file = resolve(opts.screenshots, `${user.role}-${worst.page}.png`);
        await page.screenshot({ path: file, fullPage: true, timeout: opts.timeout });
        console.log(`screenshot ${user.role}: ${file}`);
      }
    }
    console.log('');
  } finally {
    await context.close().catch(() => {});
  }
}

/** One record of each kind the user may see, for the detail pages. */
async function lookUpIds(context, user) {
  async function first(path) {
    const res = await context.request.get(`${origin}/api/v1${path}`, { timeout: opts.timeout });
    if (res.status() !== 200) throw new Error(`${user.role}: GET ${path} answered ${res.status()}`);
    const item = (await res.json()).items?.[0];
    if (!item) throw new Error(`${user.role}: GET ${path} has no items`);
    return item.id;
  }
  return {
    account: await first('/accounts?limit=1&status=customer'),
    opportunity: await first('/opportunities?limit=1&outcome=open'),
    scorecard: await first('/audit/items?limit=1&subject_type=opportunity'),
  };
}

/** Loads the page and returns the time from navigation start until its network went idle. */
async function measure(page, path, at) {
  const started = Date.now();
  try {
    const res = await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
    if (!res) throw new Error('no response');
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource');
      let end = nav ? Math.max(nav.responseEnd, nav.domContentLoadedEventEnd, nav.loadEventEnd) : 0;
      let slowest = null;
      for (const r of resources) {
        end = Math.max(end, r.responseEnd);
        if (r.initiatorType === 'fetch' || r.initiatorType === 'xmlhttprequest') {
          const d = r.responseEnd - r.startTime;
          if (!slowest || d > slowest.ms) slowest = { url: r.name, ms: d };
        }
      }
      const api = resources.filter((r) => r.initiatorType === 'fetch' || r.initiatorType === 'xmlhttprequest');
      return { end, requests: resources.length + 1, api: api.length, slowest };
    });
    return {
      ms: Math.round(t.end),
      wall_ms: Date.now() - started, // includes Playwright's 500 ms quiet window
      requests: t.requests,
      api_requests: t.api,
      slowest_api: t.slowest ? { path: short(t.slowest.url), ms: Math.round(t.slowest.ms) } : null,
    };
  } catch (e) {
    problems.push(`${where(at)}: ${path}: ${String(e?.message ?? e).split('\n')[0]}`);
    return { ms: null, wall_ms: Date.now() - started, requests: null, api_requests: null, slowest_api: null, error: String(e?.message ?? e) };
  }
}

function printRow(r) {
  if (!headerPrinted) {
    console.log(`${'user'.padEnd(10)} ${'page'.padEnd(15)} visit ${'idle ms'.padStart(8)} ${'reqs'.padStart(5)} ${'api'.padStart(4)}  slowest API request`);
    headerPrinted = true;
  }
  const flag = r.ms === null ? '  FAILED' : r.ms >= opts.budget ? `  over ${opts.budget} ms` : '';
  const slow = r.slowest_api ? `${r.slowest_api.ms} ms ${r.slowest_api.path}` : '-';
  console.log(
    `${r.user.padEnd(10)} ${r.page.padEnd(15)} ${String(r.visit).padStart(5)} ${fmtMs(r.ms).padStart(8)} ` +
      `${String(r.requests ?? '-').padStart(5)} ${String(r.api_requests ?? '-').padStart(4)}  ${slow}${flag}`,
  );
}

function fmtMs(ms) {
  return ms === null || ms === undefined ? 'failed' : String(ms);
}

function short(url) {
  try {
    const u = new URL(url);
    return u.origin === origin ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}

function where(c) {
  return c ? [c.user, c.page, c.visit && `visit ${c.visit}`].filter(Boolean).join(' ') : 'sign-in';
}
