#!/usr/bin/env node
// `pnpm bench:inbox`: the agent console's inbox at a busy desk's size (issue #16). Generates (or
// reuses) two desks with the same generator, a full one and an almost empty one, starts the built API
// on each in turn, and times every inbox view and search over HTTP as a signed-in agent. A view passes
// when its p95 is under 50 ms and at most 2× the empty desk's (counted against at least 10 ms).
// How and why: docs/benchmarks.md ("Inbox at scale").
//
//   node bench/inbox.mjs [--scale 1] [--seed 1] [--empty-scale 0.002] [--samples 30] [--warmup 3]
//                        [--budget 20] [--timeout 300] [--only <regexp>] [--regenerate] [--generate-only]
//   node bench/inbox.mjs --plans        (writes docs/inbox-plans.md: bench/inbox-plans.mjs)
//
// Progress on stderr, the table on stdout, JSON lines in bench/results/<stamp>/.
// Exit code: 0 measured (targets met or not), 2 could not run, 130 interrupted.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH, ensureDesk, ROOT, startApiOn, tokenFor } from './inbox-desk.mjs';
import { fixtures, queryString, views } from './inbox-views.mjs';
import { checkInterrupted, expected, log, processTable, runMain } from './support.mjs';

const { values: opts } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'empty-scale': { type: 'string', default: '0.002' },
    samples: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    budget: { type: 'string', default: '20' },
    timeout: { type: 'string', default: '300' },
    only: { type: 'string' },
    regenerate: { type: 'boolean', default: false },
    'generate-only': { type: 'boolean', default: false },
    plans: { type: 'boolean', default: false },
  },
});
const SAMPLES = Math.max(1, parseInt(opts.samples, 10));
const WARMUP = Math.max(0, parseInt(opts.warmup, 10));
const BUDGET_MS = Number(opts.budget) * 1000;
const TIMEOUT_MS = Number(opts.timeout) * 1000;
// The target, and the floor under the empty desk's p95 for the 2× rule: twice 3 ms would ask
// for a scheduling hiccup's precision, not for a query that scales.
const TARGET_MS = 50;
const FLOOR_MS = 10;

const round1 = (x) => Math.round(x * 10) / 10;
/** Nearest-rank percentile. */
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

// ---- requests ----------------------------------------------------------------------------------------
async function get(baseUrl, token, path, query) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}${queryString(query)}`, {
    headers: { authorization: `Bearer ${token()}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, ms, body };
}

/** The cursor of the 50th page, following `nextCursor` from the first (undefined: no cursors here). */
async function cursorOfPage50(baseUrl, token, query) {
  let cursor;
  for (let page = 1; page < 50; page++) {
    const answer = await get(baseUrl, token, '/api/tickets', { ...query, ...(cursor ? { cursor } : {}) });
    cursor = answer.body?.nextCursor;
    if (!cursor) return undefined;
  }
  return cursor;
}

/** What is wrong with an answer, if anything. */
function problems(view, answer) {
  if (answer.status !== 200) return [`HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`];
  if (view.kind === 'detail') return Array.isArray(answer.body?.thread) ? [] : ['no thread in the answer'];
  if (view.kind === 'counts') return [];
  if (!Array.isArray(answer.body?.items)) return ['no items array in the answer'];
  return view.checks.map((check) => check(answer.body)).filter(Boolean);
}

/**
 * One view: warm-up requests, then up to SAMPLES timed ones, one after the other, within BUDGET_MS of
 * sampling (at least one). A slow view gets fewer samples; the table says how many.
 */
async function measureView(baseUrl, token, view) {
  const query = view.cursor ? { ...view.query, cursor: view.cursor } : view.query;
  const first = await get(baseUrl, token, view.path, query);
  if (view.kind === 'counts' && first.status === 404)
    return { skipped: 'GET /api/tickets/counts answers 404' };
  if (view.kind === 'cursor' && !view.cursor) return { skipped: 'the API gives no nextCursor' };
  if (view.name.endsWith('page=50') && first.status === 400) return { skipped: 'the API refuses `page`' };
  const wrong = problems(view, first);
  let warm = first.ms;
  for (let i = 1; i < WARMUP && warm < BUDGET_MS; i++)
    warm += (await get(baseUrl, token, view.path, query)).ms;
  const samples = [];
  let statuses = new Set();
  for (let spent = 0; samples.length < SAMPLES && (samples.length === 0 || spent < BUDGET_MS);) {
    checkInterrupted();
    const answer = await get(baseUrl, token, view.path, query);
    samples.push(round1(answer.ms));
    statuses.add(answer.status);
    spent += answer.ms;
  }
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    n: samples.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1),
    statuses: [...statuses],
    total: first.body?.total,
    items: first.body?.items?.length,
    wrong,
    samples,
  };
}

// ---- CPU of everybody else, from /proc (support.mjs's processTable) ------------------------------------
function ticksOutside(rootPid) {
  const procs = processTable();
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, { ppid }] of procs)
      if (!ours.has(pid) && (pid === rootPid || ours.has(ppid))) grew = ours.add(pid) && true;
  }
  let ticks = 0;
  for (const [pid, proc] of procs) if (!ours.has(pid)) ticks += proc.ticks + proc.reaped;
  return { at: performance.now(), ticks };
}
const otherPercent = (a, b) => round1((100 * (b.ticks - a.ticks)) / 100 / ((b.at - a.at) / 1000));

// ---- one desk ------------------------------------------------------------------------------------------
async function measureDesk(label, desk, out) {
  log(`${label} desk: starting the API on ${desk.dir}`);
  const api = await startApiOn(desk.dir, join(out, `api-${label}.log`));
  try {
    const f = await fixtures(api.databaseUrl);
    const token = tokenFor(api, f.me);
    // Today `status` has no `all` (no status = all); the new contract has it. Ask, and use what works.
    const probe = await get(api.baseUrl, token, '/api/tickets', { status: 'all', pageSize: '1' });
    if (probe.status === 401 || probe.status === 403)
      throw new Error(`the agent's token was refused (${probe.status})`);
    const allStatus = probe.status === 200 ? { status: 'all' } : {};
    let list = views(f, { allStatus });
    if (opts.only) list = list.filter((view) => new RegExp(opts.only).test(view.name));
    const cursorView = list.find((view) => view.kind === 'cursor');
    if (cursorView) cursorView.cursor = await cursorOfPage50(api.baseUrl, token, allStatus);
    const cpuStart = ticksOutside(api.pid);
    const results = {};
    for (const view of list) {
      checkInterrupted();
      const result = await measureView(api.baseUrl, token, view);
      results[view.name] = { request: `${view.path}${queryString(view.query)}`, ...result };
      appendFileSync(
        join(out, 'views.jsonl'),
        JSON.stringify({ desk: label, view: view.name, ...results[view.name] }) + '\n',
      );
      log(
        `${label}: ${view.name}: ` +
          (result.skipped
            ? `skipped (${result.skipped})`
            : `p50 ${result.p50} / p95 ${result.p95} / max ${result.max} ms (n=${result.n}, total ${result.total ?? '-'})` +
              (result.wrong.length ? `  WRONG: ${result.wrong.join('; ')}` : '')),
      );
    }
    const other = otherPercent(cpuStart, ticksOutside(api.pid));
    return { results, fixtures: f, allStatus, other, views: list };
  } finally {
    await api.stop();
  }
}

// ---- summary -------------------------------------------------------------------------------------------
function summarize(empty, full, env) {
  const lines = [
    `| view | empty p50 / p95 / max ms | full p50 / p95 / max ms | n empty / full | ratio | verdict | note |`,
    '|---|---:|---:|---:|---:|---|---|',
  ];
  const counts = { PASS: 0, FAIL: 0, skipped: 0 };
  for (const view of full.views) {
    const e = empty.results[view.name];
    const r = full.results[view.name];
    if (!r || !e) continue;
    if (r.skipped || e.skipped) {
      counts.skipped++;
      lines.push(`| ${view.name} | – | – | – | – | skipped | ${r.skipped ?? e.skipped} |`);
      continue;
    }
    const ratio = r.p95 / Math.max(e.p95, FLOOR_MS);
    const pass = r.p95 < TARGET_MS && ratio <= 2 && r.statuses.every((s) => s === 200);
    counts[pass ? 'PASS' : 'FAIL']++;
    const notes = [
      ...r.wrong.map((w) => `full: ${w}`),
      ...e.wrong.map((w) => `empty: ${w}`),
      ...(r.statuses.some((s) => s !== 200) ? [`HTTP ${r.statuses.join(', ')}`] : []),
    ];
    lines.push(
      `| ${view.name} | ${e.p50} / ${e.p95} / ${e.max} | ${r.p50} / ${r.p95} / ${r.max} | ${e.n} / ${r.n} | ` +
        `${ratio.toFixed(1)}× | ${pass ? 'PASS' : 'FAIL'} | ${notes.join('; ').replace(/\|/g, '\\|')} |`,
    );
  }
  lines.push(
    '',
    `${counts.PASS} PASS, ${counts.FAIL} FAIL, ${counts.skipped} skipped. PASS = full desk p95 < ${TARGET_MS} ms and ≤ 2× the ` +
      `empty desk's p95, counted against max(empty p95, ${FLOOR_MS} ms); every answer 200.`,
    `ratio = full p95 / max(empty p95, ${FLOOR_MS} ms). Samples: up to ${SAMPLES} per view after ${WARMUP} warm-up ` +
      `request(s), sequential, within ${BUDGET_MS / 1000} s of sampling per view (n says how many).`,
    `desks: full = scale ${env.desks.full.scale} (${fmtCounts(env.desks.full.counts)}), ` +
      `empty = scale ${env.desks.empty.scale} (${fmtCounts(env.desks.empty.counts)}).`,
    `"other" processes used ${empty.other}% (empty desk) and ${full.other}% (full desk) of one core on average.`,
    `commit ${env.git.commit.slice(0, 7)}${env.git.uncommitted_changes ? ' + uncommitted changes' : ''}, Node ${env.node}, ` +
      `${env.nproc} × ${env.cpu}, ${Math.round(env.mem_mb / 1024)} GB RAM.`,
  );
  return lines.join('\n') + '\n';
}
const fmtCounts = (c) =>
  `${c.tickets.toLocaleString('en-US')} tickets, ${Number(c.messages).toLocaleString('en-US')} messages, ` +
  `${c.customers.toLocaleString('en-US')} customers, ${c.unresolved.toLocaleString('en-US')} unresolved`;

// ---- main ----------------------------------------------------------------------------------------------
async function main() {
  if (!existsSync(join(ROOT, 'apps/api/dist/main.js')))
    throw expected('apps/api/dist is missing: run `pnpm build` first.');
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z';
  const out = join(BENCH, 'results', stamp);
  mkdirSync(out, { recursive: true });
  log(`results -> ${out}`);
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const env = {
    stamp,
    command: `node bench/inbox.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    options: opts,
    git: { commit: git('rev-parse', 'HEAD'), uncommitted_changes: git('status', '--porcelain') !== '' },
    node: process.version,
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model,
    mem_mb: Math.round(os.totalmem() / 2 ** 20),
    kernel: os.release(),
    loadavg_start: os.loadavg(),
    desks: {},
  };
  if (os.loadavg()[0] > 0.7)
    log(`warning: the box is busy (load average ${os.loadavg()[0].toFixed(2)}): figures will be noisier`);

  const desks = {};
  for (const [label, scale] of [
    ['empty', opts['empty-scale']],
    ['full', opts.scale],
  ]) {
    if (opts.plans && label === 'empty') continue;
    desks[label] = await ensureDesk({ scale, seed: opts.seed, regenerate: opts.regenerate, outDir: out });
    env.desks[label] = { scale, dir: desks[label].dir, cached: desks[label].cached, ...desks[label].meta };
  }
  writeFileSync(join(out, 'env.jsonl'), JSON.stringify(env) + '\n');
  if (opts['generate-only']) return 0;
  if (opts.plans) {
    const { writePlans } = await import('./inbox-plans.mjs');
    await writePlans({ desk: desks.full, env, out, only: opts.only });
    return 0;
  }

  const empty = await measureDesk('empty', desks.empty, out);
  const full = await measureDesk('full', desks.full, out);
  env.other_cpu = { empty: empty.other, full: full.other };
  env.loadavg_end = os.loadavg();
  env.fixtures = { empty: empty.fixtures, full: full.fixtures };
  writeFileSync(join(out, 'env.jsonl'), JSON.stringify(env) + '\n');
  for (const [label, desk] of Object.entries({ empty, full }))
    if (desk.other > 20)
      log(`warning: other processes used ${desk.other}% of a core during the ${label} desk: not comparable`);
  const summary = summarize(empty, full, env);
  writeFileSync(join(out, 'summary.txt'), summary);
  process.stdout.write(summary);
  return 0;
}

await runMain(main);
