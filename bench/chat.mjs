#!/usr/bin/env node
// `pnpm bench:chat`: the live order chat under load. N customer/agent pairs over real socket.io
// connections against the API on its embedded PostgreSQL, and the same load, from the same client
// code, against a bare socket.io relay with no database (bench/chat-relay.mjs) as the reference, in
// the same run. What it measures and why it is done this way: docs/benchmarks.md, "Live chat".
//
//   node bench/chat.mjs [--conversations 500] [--rate 500] [--duration 20] [--warmup 10]
//                       [--reps 3] [--target both|api|reference] [--agents 10]
//                       [--conversations-per-agent-socket 1] [--consoles N/10] [--instances 1]
//                       [--statements]
//
// Agents answer from sockets that serve their conversations only (`inbox: false` in the handshake);
// the live inbox goes to --consoles agent consoles (one per 10 conversations by default, shared out
// among the agent accounts), as a desk staffed for that many conversations would have open.
//
// --instances 2 runs two API processes on one PostgreSQL (the first one's) and puts every
// conversation's customer on one and its agent on the other, so every message crosses instances.
// --statements loads pg_stat_statements into the API's PostgreSQL (a restart before the set-up) and
// prints where its time goes per message; it adds its own overhead, so record runs go without it.
//
// Progress on stderr, the summary table on stdout, raw JSON lines in bench/results/<stamp>/.
// Exit code: 0 measured (target met or not), 1 messages were lost or duplicated, 2 could not run,
// 130 interrupted.
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { io } from 'socket.io-client';
import {
  baseEnv,
  checkInterrupted,
  defer,
  expected,
  interrupted,
  log,
  processTable,
  runMain,
  servers,
  spawnTracked,
  sql,
  startBuiltApi,
  tempDir,
  waitFor,
} from './support.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const API_DIST = join(ROOT, 'apps/api/dist');
// The chat's targets (issue "Live chat under load"), judged only when a run uses exactly one of these
// loads with one agent socket per conversation: the median p99 of the reps under `p99Ms`, and no
// rep's p99 over REP_P99_MAX_MS.
const JUDGED = [
  { conversations: 500, rate: 500, p99Ms: 25 },
  { conversations: 2000, rate: 1000, p99Ms: 50 },
];
const REP_P99_MAX_MS = 100;
// The API's per-socket limit (apps/api/src/chat/send-rate-limit.ts): a burst of 10, then 1 msg/s.
const SOCKET_LIMIT_PER_S = 1;
const ACK_TIMEOUT_MS = 10_000;
const LOOP_SAMPLING_MS = 1;
// A customer's typical line; the same text, numbered, for both targets (its size is what matters).
const BODY = 'Hi, my order has not arrived yet, could you check where it is please? #';

const { values: opts } = parseArgs({
  options: {
    conversations: { type: 'string', default: '500' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '10' },
    target: { type: 'string', default: 'both' },
    agents: { type: 'string', default: '10' },
    'conversations-per-agent-socket': { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    consoles: { type: 'string' },
    instances: { type: 'string', default: '1' },
    statements: { type: 'boolean', default: false },
  },
});
const N = parseInt(opts.conversations, 10);
const RATE = Number(opts.rate);
const DURATION_S = Number(opts.duration);
const WARMUP_S = Number(opts.warmup);
const AGENTS = parseInt(opts.agents, 10);
const PER_AGENT_SOCKET = parseInt(opts['conversations-per-agent-socket'], 10);
const REPS = Math.max(1, parseInt(opts.reps, 10) || 1);
const INSTANCES = parseInt(opts.instances, 10);
const CONSOLES = opts.consoles === undefined ? Math.ceil(N / 10) : parseInt(opts.consoles, 10);
const STATEMENTS = opts.statements;
const TARGETS = { both: ['reference', 'api'], api: ['api'], reference: ['reference'] }[opts.target];

const round1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
const round2 = (x) => (x == null ? null : Math.round(x * 100) / 100);

/** Runs `work` over `items` with at most `limit` at a time; results in input order. */
async function mapLimit(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      checkInterrupted();
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---- CPU from /proc, the approach of shared/bench/lib.mjs ------------------------------------------
// Ticks (USER_HZ = 100/s) per watched process tree, everybody else's, the box's counters, our own usage.
const HZ = 100;
function cpuSnapshot(watch) {
  const procs = processTable();
  const children = new Map();
  for (const [pid, { ppid }] of procs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const treeOf = (root) => {
    const pids = new Set();
    for (const stack = [root]; stack.length > 0;) {
      const pid = stack.pop();
      pids.add(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    return pids;
  };
  // A process's own time plus what its exited children used (added to its cutime when it reaps
  // them): PostgreSQL ends idle backends and starts new ones, and a backend that exits in the window
  // must not take its whole lifetime's CPU out of the tree's total.
  const ticks = (pids) =>
    [...pids].reduce((sum, pid) => sum + (procs.get(pid)?.ticks ?? 0) + (procs.get(pid)?.reaped ?? 0), 0);
  // Everybody else: every process but the generator and the watched trees; the other target's server
  // counts here too, so one still busy from its own run shows up.
  const trees = Object.fromEntries(Object.entries(watch).map(([label, pid]) => [label, treeOf(pid)]));
  const ours = new Set([process.pid, ...Object.values(trees).flatMap((pids) => [...pids])]);
  const others = ticks([...procs.keys()].filter((pid) => !ours.has(pid)));
  // cpu  user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    at: performance.now(),
    trees: Object.fromEntries(Object.entries(trees).map(([label, pids]) => [label, ticks(pids)])),
    others,
    busy: user + nice + system + irq + softirq,
    interrupts: irq + softirq,
    steal: steal ?? 0,
    self: process.cpuUsage(),
  };
}

/** % of one core over the interval (200 = both cores of a 2-core box). */
function cpuDelta(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks) => round1((100 * ticks) / HZ / seconds);
  const out = {
    loadgen: round1(((b.self.user - a.self.user + b.self.system - a.self.system) / 1e6 / seconds) * 100),
  };
  for (const label of Object.keys(b.trees)) out[label] = pct(b.trees[label] - a.trees[label]);
  out.other = pct(b.others - a.others);
  // The box's own counters are sampled at each tick, the processes' times are exact: on this VM the
  // two disagree by up to ~10% of a core, so the table shows the per-process figures.
  out.box_busy = pct(b.busy - a.busy);
  out.interrupts = pct(b.interrupts - a.interrupts);
  out.steal = pct(b.steal - a.steal);
  return out;
}

// ---- the two targets -----------------------------------------------------------------------------
async function startRelay(logFile) {
  const logFd = openSync(logFile, 'a');
  const child = spawnTracked([join(BENCH, 'chat-relay.mjs'), '--port', '0'], {
    cwd: BENCH,
    env: baseEnv(),
    stdio: ['ignore', 'pipe', logFd],
    detached: true, // our Ctrl-C must not reach it before we are done with it
  });
  closeSync(logFd);
  servers.add(child);
  const stop = defer(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await child.exited;
    servers.delete(child);
  });
  let port;
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
    port ??= stdout.match(/"ready":true,"port":(\d+)/)?.[1];
  });
  await waitFor('the relay did not print {"ready":true}', 30_000, () => {
    if (child.exitCode !== null) throw new Error(`the relay exited; see ${logFile}`);
    return port !== undefined;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return { pid: child.pid, baseUrl, baseUrls: [baseUrl], watch: { server: child.pid }, stop };
}

async function startApi(logFile, freePort) {
  // The secrets production insists on are random, and we keep them: the agents' tokens are signed with
  // JWT_SECRET, the customers are created with API_TOKEN, /metrics is read with METRICS_TOKEN.
  const secrets = {
    JWT_SECRET: randomBytes(36).toString('base64url'),
    API_TOKEN: randomBytes(24).toString('base64url'),
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    // Production refuses to start without it (SMS webhooks); the chat never uses it.
    VONAGE_SIGNATURE_SECRET: randomBytes(24).toString('base64url'),
  };
  // Production, with the sandbox providers standing in for Vonage and Brevo (nothing is sent).
  const env = {
    ...secrets,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://bench.switchboard.example',
    SANDBOX: 'true',
  };
  const start = async (options) =>
    startBuiltApi({ root: ROOT, port: await freePort(), env, dataName: 'chat-api-data', ...options });
  let first;
  if (STATEMENTS) {
    // pg_stat_statements must be loaded when PostgreSQL starts: let the API create its cluster, stop
    // it, add the library to the cluster's configuration, and start it again on the same DATA_DIR.
    const data = tempDir('chat-api-data');
    await (await start({ logFile, dataDir: data.dir })).stop();
    appendFileSync(
      join(data.dir, 'postgres', 'postgresql.conf'),
      "\nshared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'all'\npg_stat_statements.track_planning = on\n",
    );
    first = await start({ logFile, dataDir: data.dir });
    await sql(first.databaseUrl, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const stopFirst = first.stop;
    first.stop = async () => {
      await stopFirst();
      await data.remove();
    };
  } else {
    first = await start({ logFile });
  }
  const instances = [first];
  for (let i = 2; i <= INSTANCES; i++) {
    // The same secrets, so a token from one instance is good on the other, as behind a load balancer.
    instances.push(
      await start({ logFile: logFile.replace(/\.log$/, `-${i}.log`), databaseUrl: first.databaseUrl }),
    );
  }
  return {
    pid: first.pid,
    baseUrl: first.baseUrl,
    baseUrls: instances.map((api) => api.baseUrl),
    apiToken: secrets.API_TOKEN,
    jwtSecret: secrets.JWT_SECRET,
    metricsToken: secrets.METRICS_TOKEN,
    databaseUrl: first.databaseUrl,
    // The first API's tree includes its PostgreSQL (its child); the summary subtracts one from the other.
    watch: {
      ...Object.fromEntries(instances.map((api, i) => [i === 0 ? 'server' : `server_${i + 1}`, api.pid])),
      postgres: first.postgresPid,
    },
    stop: async () => {
      for (const api of instances.reverse()) await api.stop();
    },
  };
}

// ---- setting up the conversations ------------------------------------------------------------------
async function postJson(url, body, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST ${new URL(url).pathname}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * An HS256 access token as AccessTokens (apps/api/src/auth/access-tokens.ts) signs it, with the same
 * claims and lifetime: we started the API, so we hold its JWT_SECRET.
 */
function signAccessToken(secret, claims) {
  const now = Math.floor(Date.now() / 1000);
  const part = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat: now, exp: now + 15 * 60 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const claimsOf = (token) => {
  const { typ, sub, conv, ep } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  return JSON.stringify({ typ, sub, conv, ep });
};

/**
 * Which sockets exist and what they join. Every conversation has its customer's socket; agent sockets
 * serve `PER_AGENT_SOCKET` conversations each and are shared out among `AGENTS` agent accounts.
 * Tokens are made at each connect: they live 15 minutes, a long run outlives them.
 */
function layout(conversationIds, customerToken, agentTokens) {
  const customers = conversationIds.map((id, i) => ({
    role: 'customer',
    token: () => customerToken(i),
    conversations: [i],
    // With several instances, a conversation's customer and agent are on different ones.
    instance: i % INSTANCES,
  }));
  const agents = [];
  for (let i = 0; i < conversationIds.length; i += PER_AGENT_SOCKET) {
    const conversations = [];
    for (let c = i; c < Math.min(i + PER_AGENT_SOCKET, conversationIds.length); c++) conversations.push(c);
    agents.push({
      role: 'agent',
      token: agentTokens[agents.length % agentTokens.length],
      conversations,
      instance: (i + 1) % INSTANCES,
    });
  }
  // The agents' consoles: the live inbox, no conversation of their own.
  const consoles = Array.from({ length: CONSOLES }, (_, i) => ({
    role: 'console',
    token: agentTokens[i % agentTokens.length],
    conversations: [],
    instance: i % INSTANCES,
  }));
  return { conversationIds, sockets: [...customers, ...agents, ...consoles] };
}

async function setUpApi(api) {
  const stamp = Date.now().toString(36);
  log(`api: creating ${N} customers, each with an order (20 at a time)`);
  const started = Date.now();
  const customers = await mapLimit(
    Array.from({ length: N }, (_, i) => i),
    20,
    async (i) => {
      const username = `bench-${stamp}-${i}`;
      const { id, conversationId } = await postJson(
        `${api.baseUrl}/api/users`,
        { username, name: `Customer ${i}`, email: `${username}@example.com` },
        api.apiToken,
      );
      const { chatUrl } = await postJson(`${api.baseUrl}/order`, { username }, api.apiToken);
      return { id, conversationId, linkToken: new URL(chatUrl).searchParams.get('token') };
    },
  );
  log(`api: ${N} customers in ${round1((Date.now() - started) / 1000)} s`);

  // POST /api/chat/session allows 120 requests a minute per address, and all of ours come from
  // 127.0.0.1: 500 would take over 4 minutes. One goes through it, to check that the token we sign
  // for everyone is the one it hands out.
  const sessionToken = (c) =>
    signAccessToken(api.jwtSecret, { typ: 'chat-session', sub: c.id, conv: c.conversationId, ep: 0 });
  const session = await postJson(`${api.baseUrl}/api/chat/session`, {
    conversationId: customers[0].conversationId,
    token: customers[0].linkToken,
  });
  if (claimsOf(session.accessToken) !== claimsOf(sessionToken(customers[0]))) {
    throw new Error(
      `POST /api/chat/session hands out ${claimsOf(session.accessToken)}, chat.mjs would sign ` +
        `${claimsOf(sessionToken(customers[0]))}: update signAccessToken's claims in bench/chat.mjs`,
    );
  }

  const db = new pg.Client({ connectionString: api.databaseUrl });
  await db.connect();
  try {
    const agentTokens = [];
    for (let i = 0; i < AGENTS; i++) {
      const name = `Agent ${i + 1}`;
      const { rows } = await db.query(
        `INSERT INTO users (role, name, email) VALUES ('agent', $1, $2) RETURNING id::text`,
        [name, `bench-agent-${stamp}-${i}@switchboard.example`],
      );
      // `sid` names a sign-in; these agents never sign in, so nothing revokes it.
      const claims = { typ: 'agent-access', sub: rows[0].id, role: 'agent', name, sid: randomUUID() };
      agentTokens.push(() => signAccessToken(api.jwtSecret, claims));
    }
    // Each order queued a confirmation email, which the sandbox provider "sends" through pg-boss: let
    // that finish, and checkpoint, before anything is measured.
    log(`api: waiting for the ${N} order confirmation emails to be sent`);
    await waitFor('the order confirmation emails were not all sent', 600_000, async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS queued FROM emails WHERE status = 'queued'`);
      return rows[0].queued === 0;
    });
    await db.query('CHECKPOINT');
    log(`api: set up in ${round1((Date.now() - started) / 1000)} s`);
    return layout(
      customers.map((c) => c.conversationId),
      (i) => sessionToken(customers[i]),
      agentTokens,
    );
  } finally {
    await db.end();
  }
}

// The relay knows no users: any ids and tokens do.
const setUpReference = () =>
  layout(
    Array.from({ length: N }, (_, i) => String(i + 1)),
    () => 'reference',
    [() => 'reference'],
  );

// ---- where the API's database time goes ------------------------------------------------------------
// Counters of the API's database over the measured window (divided by messages in the summary), and
// what its connections are doing, sampled every 50 ms: running (CPU), or waiting on what.
const COUNTERS_SQL = `
  SELECT d.xact_commit::bigint AS commits, d.tup_inserted::bigint AS rows_inserted,
         d.tup_updated::bigint AS rows_updated, d.tup_fetched::bigint AS rows_fetched,
         w.wal_records::bigint, w.wal_bytes::bigint, w.wal_fpi::bigint AS wal_full_page_images,
         t.n_tup_upd::bigint AS ticket_updates, t.n_tup_hot_upd::bigint AS ticket_hot_updates,
         (SELECT num_timed + num_requested FROM pg_stat_checkpointer)::bigint AS checkpoints,
         (SELECT sum(autovacuum_count + autoanalyze_count) FROM pg_stat_user_tables)::bigint AS autovacuums
    FROM pg_stat_database d, pg_stat_wal w, pg_stat_user_tables t
   WHERE d.datname = current_database() AND t.relid = 'tickets'::regclass`;
// Counted over the window, not per message.
const WINDOW_COUNTERS = ['checkpoints', 'autovacuums'];
// With --statements: the API's statements by time spent executing them (the trigger's own statements
// included: track = all) and planning them, per message. The bench's own queries are left out.
const STATEMENTS_SQL = `
  SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::bigint, total_exec_time AS ms, plans, total_plan_time,
         rows::bigint, wal_bytes::bigint
    FROM pg_stat_statements
   WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND query !~ 'pg_stat|pg_database|pg_settings'
   ORDER BY total_exec_time DESC
   LIMIT 12`;
const ACTIVITY_SQL = `
  SELECT application_name || ' ' || coalesce(wait_event_type || ':' || wait_event, 'running') AS what,
         count(*)::int AS n
    FROM pg_stat_activity
   WHERE application_name IN ('switchboard', 'switchboard-chat', 'switchboard-sockets') AND state <> 'idle'
   GROUP BY 1`;

/**
 * The API's own event loop and garbage collector, from its /metrics (prom-client's defaults): the
 * event-loop delay percentiles cover the time since the previous scrape (prom-client resets them),
 * the GC durations are running totals.
 */
async function scrapeApi(baseUrl, token) {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  const text = await response.text();
  const value = (name) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN);
  return {
    at: performance.now(),
    loopP99: value('switchboard_nodejs_eventloop_lag_p99_seconds'),
    loopMax: value('switchboard_nodejs_eventloop_lag_max_seconds'),
    gc: Object.fromEntries(
      ['minor', 'major', 'incremental'].map((kind) => [
        kind,
        value(`switchboard_nodejs_gc_duration_seconds_sum\\{kind="${kind}"\\}`),
      ]),
    ),
  };
}

/**
 * PostgreSQL's processes by what they are (its background processes by type, client backends by the
 * application that opened them), with their CPU ticks: where the database's CPU goes.
 */
const BACKENDS_SQL = `
  SELECT pid, CASE WHEN backend_type = 'client backend' THEN coalesce(nullif(application_name, ''), '?')
                   ELSE backend_type END AS what
    FROM pg_stat_activity`;
async function postgresProcesses(client) {
  const { rows } = await client.query(BACKENDS_SQL);
  const procs = processTable();
  return { at: performance.now(), rows, procs };
}

/**
 * % of one core by kind of PostgreSQL process between two snapshots; processes that ended during the
 * window (short-lived backends, autovacuum workers) are in what the postmaster reaped.
 */
function postgresCpu(a, b, postmasterPid) {
  const seconds = (b.at - a.at) / 1000;
  const out = {};
  for (const { pid, what } of b.rows) {
    const now = b.procs.get(pid);
    if (!now) continue;
    const before = a.procs.get(pid)?.ticks ?? 0;
    out[what] = (out[what] ?? 0) + now.ticks - before;
  }
  // What the postmaster reaped in the window is the whole life of each process that ended: take off
  // what those had used before the window.
  const reaped = (snapshot) => snapshot.procs.get(postmasterPid)?.reaped ?? 0;
  const endedBefore = a.rows
    .filter(({ pid }) => !b.procs.has(pid))
    .reduce((sum, { pid }) => sum + (a.procs.get(pid)?.ticks ?? 0), 0);
  out['ended during the window'] = reaped(b) - reaped(a) - endedBefore;
  out.postmaster = (b.procs.get(postmasterPid)?.ticks ?? 0) - (a.procs.get(postmasterPid)?.ticks ?? 0);
  return Object.fromEntries(
    Object.entries(out)
      .map(([what, ticks]) => [what, round1((100 * ticks) / HZ / seconds)])
      .filter(([, pct]) => pct > 0)
      .sort((x, y) => y[1] - x[1]),
  );
}

async function postgresProbe(databaseUrl, api) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'switchboard-bench' });
  client.on('error', () => undefined); // the API's PostgreSQL stopping under it is no news
  await client.connect();
  const waits = {};
  let samples = 0;
  let before;
  let timer;
  let inFlight; // one sample at a time: a slow answer skips samples rather than piling them up
  let closed = false;
  let scraped;
  let processesBefore;
  const counters = async () => {
    // Backends report their statistics up to a second late; a fresh snapshot is the best we can do.
    await client.query('SELECT pg_stat_clear_snapshot()');
    return (await client.query(COUNTERS_SQL)).rows[0];
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    await inFlight;
    await client.end().catch(() => undefined);
  };
  return {
    close,
    async start() {
      scraped = await Promise.all(api.baseUrls.map((url) => scrapeApi(url, api.metricsToken)));
      processesBefore = await postgresProcesses(client);
      if (STATEMENTS) await client.query('SELECT pg_stat_statements_reset()');
      before = await counters();
      timer = setInterval(() => {
        inFlight ??= client
          .query(ACTIVITY_SQL)
          .then(({ rows }) => {
            samples++;
            for (const { what, n } of rows) waits[what] = (waits[what] ?? 0) + n;
          })
          .catch(() => undefined)
          .finally(() => (inFlight = undefined));
      }, 50);
    },
    async stop(messages) {
      clearInterval(timer);
      await inFlight;
      const after = await counters();
      const cpuByProcess = postgresCpu(processesBefore, await postgresProcesses(client), api.watch.postgres);
      const instances = await Promise.all(
        api.baseUrls.map(async (url, i) => {
          const [a, b] = [scraped[i], await scrapeApi(url, api.metricsToken)];
          const seconds = (b.at - a.at) / 1000;
          return {
            event_loop_delay_p99_ms: round1(b.loopP99 * 1000),
            event_loop_delay_max_ms: round1(b.loopMax * 1000),
            // Milliseconds of GC pause per second of the window, by kind.
            gc_ms_per_s: Object.fromEntries(
              Object.keys(b.gc).map((kind) => [kind, round1((1000 * (b.gc[kind] - a.gc[kind])) / seconds)]),
            ),
          };
        }),
      );
      const statements = STATEMENTS ? (await client.query(STATEMENTS_SQL)).rows : [];
      await close();
      const delta = (key) => Number(after[key]) - Number(before[key]);
      const perMessage = Object.fromEntries(
        Object.keys(after)
          .filter((key) => !WINDOW_COUNTERS.includes(key))
          .map((key) => [key, round2(delta(key) / messages)]),
      );
      const inWindow = Object.fromEntries(WINDOW_COUNTERS.map((key) => [key, delta(key)]));
      // How many of the API's connections were in each state, on average, over the window.
      const connections = Object.fromEntries(
        Object.entries(waits)
          .sort((a, b) => b[1] - a[1])
          .map(([what, n]) => [what, round2(n / samples)]),
      );
      return {
        per_message: perMessage,
        in_window: inWindow,
        api: instances,
        cpu_by_process: cpuByProcess,
        connections,
        samples,
        ...(STATEMENTS && {
          statements: statements.map((row) => ({
            query: row.query.slice(0, 160),
            calls_per_message: round2(Number(row.calls) / messages),
            us_per_message: round1((1000 * row.ms) / messages),
            mean_ms: round2(row.ms / Number(row.calls)),
            wal_bytes_per_message: round1(Number(row.wal_bytes) / messages),
            plan_us_per_message: round1((1000 * row.total_plan_time) / messages),
          })),
        }),
      };
    },
  };
}

// ---- the load ----------------------------------------------------------------------------------------
function connect(baseUrl, token, inbox) {
  const socket = io(baseUrl, {
    auth: { token, inbox },
    transports: ['websocket'],
    reconnection: false, // a dropped socket must show up as lost messages, not be papered over
    forceNew: true, // one connection per socket, as a browser each
  });
  return new Promise((done, fail) => {
    socket.once('connect', () => done(socket));
    socket.once('connect_error', (error) => fail(new Error(`socket.io connect: ${error.message}`)));
  });
}

/**
 * The whole run against one target: connect and join, a warm-up, the measured window, a drain.
 *
 * Load: an open-loop, constant-rate schedule (send k is due at k / rate seconds, whether or not
 * earlier sends were answered), so a slow server cannot slow the load down and hide its own latency.
 * Send k goes to conversation k mod N, from its customer in even rounds and its agent in odd ones:
 * each conversation is a steady back-and-forth at rate / N msg/s, and every socket sends at
 * rate / 2N msg/s (x conversations-per-agent-socket for agent sockets), under the API's limit.
 */
async function runLoad(target, baseUrls, plan, watch, probe) {
  const sockets = [];
  const closeSockets = defer(() => sockets.forEach((socket) => socket.disconnect()));
  // Conversation index -> its customer's and its agent's socket indexes.
  const customerOf = new Array(N);
  const agentOf = new Array(N);
  plan.sockets.forEach((spec, s) => {
    if (spec.role === 'console') return;
    for (const c of spec.conversations) (spec.role === 'customer' ? customerOf : agentOf)[c] = s;
  });

  const records = new Map(); // clientId -> one sent message
  const counters = {
    ownEchoes: 0,
    unknown: 0,
    misrouted: 0,
    disconnects: 0,
    inboxFrames: 0,
    inboxEntries: 0,
  };
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let deliveredInWindow = 0;

  const onMessage = (s, message) => {
    const now = performance.now();
    const record = message?.clientId ? records.get(message.clientId) : undefined;
    if (!record) return void counters.unknown++; // system events (none expected here)
    if (s === record.from) return void counters.ownEchoes++;
    if (s !== record.to) return void counters.misrouted++;
    if (record.receivedAt !== undefined) return void record.dupes++;
    record.receivedAt = now;
    if (now >= windowStart && now < windowEnd) deliveredInWindow++;
  };

  log(`${target}: connecting ${plan.sockets.length} sockets (50 at a time)`);
  await mapLimit(plan.sockets, 50, async (spec, s) => {
    // The relay is one process: with --instances, every socket goes to it.
    const socket = await connect(
      baseUrls[spec.instance % baseUrls.length],
      spec.token(),
      spec.role === 'console', // only the consoles show the inbox
    );
    sockets[s] = socket;
    socket.on('message:new', (message) => onMessage(s, message));
    socket.on('inbox:changed', (changes) => {
      counters.inboxFrames++;
      counters.inboxEntries += Array.isArray(changes) ? changes.length : 0;
    });
    // Our own disconnect at the end is 'io client disconnect'; any other reason is a dropped socket.
    socket.on('disconnect', (reason) => reason !== 'io client disconnect' && counters.disconnects++);
    for (const c of spec.conversations) {
      const ack = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('conversation:join', { conversationId: plan.conversationIds[c], afterSeq: 0 });
      if (!ack?.ok) throw new Error(`${target}: conversation:join failed: ${JSON.stringify(ack)}`);
    }
  });

  const total = Math.round((WARMUP_S + DURATION_S) * RATE);
  const firstMeasured = Math.round(WARMUP_S * RATE);
  const t0 = performance.now() + 200;
  windowStart = t0 + WARMUP_S * 1000;
  windowEnd = windowStart + DURATION_S * 1000;

  const send = (k, now) => {
    const c = k % N;
    const fromCustomer = Math.floor(k / N) % 2 === 0;
    const from = fromCustomer ? customerOf[c] : agentOf[c];
    const clientId = randomUUID();
    const record = {
      k,
      from,
      to: fromCustomer ? agentOf[c] : customerOf[c],
      scheduledAt: t0 + (k * 1000) / RATE,
      sentAt: now,
      ackAt: undefined,
      ack: undefined,
      receivedAt: undefined,
      dupes: 0,
    };
    records.set(clientId, record);
    sockets[from]
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('message:send', { conversationId: plan.conversationIds[c], clientId, body: BODY + k })
      .then(
        (ack) => {
          record.ackAt = performance.now();
          record.ack = ack?.ok ? 'ok' : (ack?.error?.code ?? 'malformed');
        },
        () => {
          record.ackAt = performance.now();
          record.ack = 'timeout';
        },
      );
  };

  log(`${target}: ${WARMUP_S} s warm-up, then ${DURATION_S} s measured at ${RATE} msg/s`);
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLING_MS });
  let cpuStart;
  let cpuEnd;
  let probed;
  // CPU second by second too: when latency runs away, it shows who was busy as it started.
  const cpuSeconds = [];
  let cpuTimer;
  const windowTimers = [
    setTimeout(() => {
      let last = (cpuStart = cpuSnapshot(watch));
      loopDelay.enable();
      probed = probe?.start();
      cpuTimer = setInterval(() => {
        const now = cpuSnapshot(watch);
        cpuSeconds.push(cpuDelta(last, now));
        last = now;
      }, 1000);
    }, windowStart - performance.now()),
    setTimeout(() => {
      clearInterval(cpuTimer);
      cpuEnd = cpuSnapshot(watch);
      loopDelay.disable();
      probed = probed?.then(() => probe.stop(Math.round(DURATION_S * RATE)));
    }, windowEnd - performance.now()),
  ];
  let measured;
  let postgres;
  try {
    // One timer sends everything that is due: cheaper than a timer per socket, and a late tick
    // catches up at once (the lag is recorded: schedule lag means the generator fell behind).
    await new Promise((done) => {
      let k = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        while (k < total && t0 + (k * 1000) / RATE <= now) send(k++, now);
        if (k >= total || interrupted) {
          clearInterval(timer);
          done();
        }
      }, 1);
    });
    checkInterrupted();

    // Drain: every measured message is answered (or timed out) and delivered, or never will be.
    measured = [...records.values()].filter((r) => r.k >= firstMeasured);
    const settled = (r) => r.ack !== undefined && (r.ack !== 'ok' || r.receivedAt !== undefined);
    await waitFor('', ACK_TIMEOUT_MS + 2000, () => measured.every(settled)).catch((error) => {
      if (interrupted) throw error;
    });
    await waitFor('', 5000, () => cpuEnd !== undefined).catch(() => undefined);
    postgres = await probed?.catch((error) => ({ error: error.message }));
  } finally {
    // Interrupted before the window closed: nothing may fire into a probe or servers being stopped.
    windowTimers.forEach(clearTimeout);
    clearInterval(cpuTimer);
    loopDelay.disable();
    await probed?.catch(() => undefined);
    await closeSockets();
  }

  return summarizeRun(target, plan, measured, counters, {
    cpuSeconds,
    postgres,
    deliveredInWindow,
    windowStart,
    cpu: cpuStart && cpuEnd ? cpuDelta(cpuStart, cpuEnd) : null,
    loopDelay,
  });
}

function summarizeRun(
  target,
  plan,
  measured,
  counters,
  { cpuSeconds, postgres, deliveredInWindow, windowStart, cpu, loopDelay },
) {
  const latencies = [];
  const acks = [];
  const lags = [];
  const failedAcks = {};
  let lost = 0;
  let dupes = 0;
  for (const r of measured) {
    lags.push(r.sentAt - r.scheduledAt);
    dupes += r.dupes;
    if (r.ack !== 'ok') failedAcks[r.ack ?? 'unanswered'] = (failedAcks[r.ack ?? 'unanswered'] ?? 0) + 1;
    else acks.push(r.ackAt - r.sentAt);
    if (r.receivedAt !== undefined) latencies.push(r.receivedAt - r.sentAt);
    else if (r.ack === 'ok') lost++;
  }
  const sortNum = (values) => values.sort((a, b) => a - b);
  sortNum(latencies);
  sortNum(acks);
  sortNum(lags);
  const stats = (sorted) => ({
    p50: round2(percentile(sorted, 50)),
    p90: round2(percentile(sorted, 90)),
    p99: round2(percentile(sorted, 99)),
    p999: round2(percentile(sorted, 99.9)),
    max: round2(sorted.at(-1) ?? null),
  });

  // Second by second, by send time: shows a queue building up, or a stall, that a p99 alone hides.
  const timeline = Array.from({ length: Math.ceil(DURATION_S) }, (_, second) => ({
    second,
    sent: 0,
    l: [],
    a: [],
  }));
  for (const r of measured) {
    const slot = timeline[Math.floor((r.sentAt - windowStart) / 1000)];
    if (!slot) continue;
    slot.sent++;
    if (r.receivedAt !== undefined) slot.l.push(r.receivedAt - r.sentAt);
    if (r.ack === 'ok') slot.a.push(r.ackAt - r.sentAt);
  }

  const spec = (role) => plan.sockets.filter((s) => s.role === role).length;
  const result = {
    target,
    conversations: N,
    sockets: plan.sockets.length,
    customer_sockets: spec('customer'),
    agent_sockets: spec('agent'),
    console_sockets: spec('console'),
    duration_s: DURATION_S,
    offered_rate: RATE,
    sent: measured.length,
    sent_per_s: round1(measured.length / DURATION_S),
    delivered_per_s: round1(deliveredInWindow / DURATION_S),
    latency_ms: stats(latencies),
    ack_ms: stats(acks),
    delivered: latencies.length,
    lost,
    dupes,
    failed_acks: Object.values(failedAcks).reduce((a, b) => a + b, 0),
    failed_ack_codes: failedAcks,
    loadgen: {
      schedule_lag_ms: stats(lags),
      // Node's histogram counts the sampling interval in every value: only the excess is delay.
      event_loop_delay_ms: {
        p50: round2(Math.max(0, loopDelay.percentile(50) / 1e6 - LOOP_SAMPLING_MS)),
        p99: round2(Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_SAMPLING_MS)),
        max: round2(Math.max(0, loopDelay.max / 1e6 - LOOP_SAMPLING_MS)),
      },
    },
    cpu,
    ...(postgres ? { postgres } : {}),
    counters,
    timeline: timeline.map(({ second, sent, l, a }) => {
      sortNum(l);
      sortNum(a);
      return {
        second,
        sent,
        delivered: l.length,
        p50: round1(percentile(l, 50)),
        p99: round1(percentile(l, 99)),
        ack_p99: round1(percentile(a, 99)),
        // % of one core, the server without its PostgreSQL as in the totals.
        ...(cpuSeconds[second] && { cpu: splitServer(cpuSeconds[second]) }),
      };
    }),
  };
  if (cpu) result.cpu = splitServer(cpu);
  return result;
}

/**
 * The first API's tree holds its PostgreSQL: the difference is the API's own CPU; a second instance's
 * is added to it (`server` is every API process together).
 */
function splitServer(cpu) {
  if (cpu.postgres == null) return cpu;
  const { server, postgres, ...rest } = cpu;
  const others = Object.keys(rest).filter((key) => /^server_\d+$/.test(key));
  const apis = round1(server - postgres + others.reduce((sum, key) => sum + rest[key], 0));
  return { ...cpu, server: apis, server_tree_incl_postgres: server };
}

// ---- summary ---------------------------------------------------------------------------------------
const int = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
const ms = (x) => (x == null ? '–' : x.toFixed(1));

function median(values) {
  const sorted = values.filter((x) => x != null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One row per target: medians over its reps, sums of what must be zero, the spread of p99. */
function aggregate(runs, target) {
  const rs = runs.filter((r) => r.target === target);
  if (rs.length === 0) return null;
  const med = (pick) => median(rs.map(pick));
  const sum = (pick) => rs.reduce((total, r) => total + pick(r), 0);
  const p99s = rs.map((r) => r.latency_ms.p99);
  return {
    target,
    reps: rs.length,
    conversations: rs[0].conversations,
    sockets: rs[0].sockets,
    sent_per_s: med((r) => r.sent_per_s),
    delivered_per_s: med((r) => r.delivered_per_s),
    p50: med((r) => r.latency_ms.p50),
    p99: median(p99s),
    p99Min: Math.min(...p99s),
    p99Max: Math.max(...p99s),
    max: Math.max(...rs.map((r) => r.latency_ms.max)),
    ackP50: med((r) => r.ack_ms.p50),
    ackP99: med((r) => r.ack_ms.p99),
    lost: sum((r) => r.lost),
    dupes: sum((r) => r.dupes),
    failedAcks: sum((r) => r.failed_acks),
    cpu: Object.fromEntries(
      ['loadgen', 'server', 'postgres', 'other', 'box_busy'].map((k) => [k, med((r) => r.cpu?.[k])]),
    ),
    otherMax: Math.max(...rs.map((r) => r.cpu?.other ?? 0)),
    loopP99: med((r) => r.loadgen.event_loop_delay_ms.p99),
    lagP99: med((r) => r.loadgen.schedule_lag_ms.p99),
  };
}

function verdict(api) {
  if (!api) return null;
  const target = JUDGED.find((t) => t.conversations === N && t.rate === RATE && PER_AGENT_SOCKET === 1);
  if (!target) {
    const judged = JUDGED.map((t) => `${t.conversations} @ ${t.rate} msg/s (p99 < ${t.p99Ms} ms)`).join(', ');
    return (
      `target: not judged: this run has ${N} conversations at ${RATE} msg/s, ${PER_AGENT_SOCKET} per agent ` +
      `socket; judged are ${judged}, one agent socket per conversation`
    );
  }
  const label =
    `target: ${target.conversations} conversations at ${target.rate} msg/s, p99 < ${target.p99Ms} ms ` +
    `and no run over ${REP_P99_MAX_MS} ms${INSTANCES > 1 ? `, on ${INSTANCES} instances` : ''}`;
  const misses = [];
  if (!(api.p99 < target.p99Ms)) misses.push(`p99 ${ms(api.p99)} ms`);
  if (!(api.p99Max < REP_P99_MAX_MS)) misses.push(`a run's p99 ${ms(api.p99Max)} ms`);
  // Keeping up is part of the target: the delivered rate must match what was offered.
  if (api.delivered_per_s < 0.98 * target.rate) misses.push(`delivered ${int(api.delivered_per_s)} msg/s`);
  if (api.lost > 0) misses.push(`${api.lost} lost`);
  if (api.dupes > 0) misses.push(`${api.dupes} duplicates`);
  if (api.failedAcks > 0) misses.push(`${api.failedAcks} failed acks`);
  const of = api.reps > 1 ? ` (median of ${api.reps} runs, ${ms(api.p99Min)}–${ms(api.p99Max)})` : '';
  return misses.length === 0
    ? `${label}: PASS${of}: p99 ${ms(api.p99)} ms, ${int(api.delivered_per_s)} msg/s delivered`
    : `${label}: FAIL${of}: ${misses.join(', ')}`;
}

/** Where the API's time went, from the probe: its event loop, GC, and its database per message. */
function apiDetails(runs) {
  const rs = runs.filter((r) => r.target === 'api' && r.postgres?.per_message);
  if (rs.length === 0) return [];
  const med = (pick) => round2(median(rs.map(pick)));
  const instances = rs[0].postgres.api?.length ?? 0;
  const lines = [
    '',
    '| API, medians of the runs | |',
    '|---|---|',
    ...Array.from({ length: instances }, (_, i) => {
      const pick = (f) => ms(med((r) => f(r.postgres.api[i])));
      return (
        `| instance ${i + 1} | event-loop delay p99 ${pick((a) => a.event_loop_delay_p99_ms)} ms, max ` +
        `${pick((a) => a.event_loop_delay_max_ms)} ms; GC ms per s: minor ${pick((a) => a.gc_ms_per_s.minor)}, ` +
        `major ${pick((a) => a.gc_ms_per_s.major)}, incremental ${pick((a) => a.gc_ms_per_s.incremental)} |`
      );
    }),
    `| PostgreSQL per message | ${['commits', 'wal_records', 'wal_bytes', 'rows_inserted', 'rows_updated']
      .map((k) => `${k.replace('_', ' ')} ${med((r) => r.postgres.per_message[k])}`)
      .join(', ')} |`,
    `| in the windows | checkpoints ${rs.map((r) => r.postgres.in_window.checkpoints).join(', ')}; ` +
      `autovacuum/analyze runs ${rs.map((r) => r.postgres.in_window.autovacuums).join(', ')} |`,
    `| PostgreSQL CPU by process, % of a core (last run) | ${Object.entries(rs.at(-1).postgres.cpu_by_process)
      .map(([what, pct]) => `${what} ${pct}`)
      .join(', ')} |`,
    `| API connections busy (mean) | ${Object.entries(rs.at(-1).postgres.connections)
      .map(([what, n]) => `${what} ${n}`)
      .join(', ')} (last run) |`,
  ];
  const statements = rs.at(-1).postgres.statements;
  if (statements) {
    lines.push(
      '',
      '| statement (pg_stat_statements, last run) | calls/msg | µs/msg executing | µs/msg planning | mean ms | WAL bytes/msg |',
      '|---|---:|---:|---:|---:|---:|',
      ...statements.map(
        (st) =>
          `| \`${st.query.replace(/\|/g, '\\|')}\` | ${st.calls_per_message} | ${st.us_per_message} | ${st.plan_us_per_message} | ` +
          `${st.mean_ms} | ${st.wal_bytes_per_message} |`,
      ),
    );
  }
  return lines;
}

function summarize(runs) {
  const rows = [aggregate(runs, 'reference'), aggregate(runs, 'api')].filter(Boolean);
  const lines = [
    '| target | conversations | sockets | offered msg/s | delivered msg/s | p50 ms | p99 ms (min–max) | max ms | lost | dupes | failed acks |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${int(r.conversations)} | ${int(r.sockets)} | ${int(r.sent_per_s)} | ` +
        `${int(r.delivered_per_s)} | ${ms(r.p50)} | ${ms(r.p99)} (${ms(r.p99Min)}–${ms(r.p99Max)}) | ` +
        `${ms(r.max)} | ${r.lost} | ${r.dupes} | ${r.failedAcks} |`,
    ),
  ];
  const line = verdict(rows.find((r) => r.target === 'api'));
  if (line) lines.push('', line);
  lines.push(...apiDetails(runs));
  lines.push(
    '',
    `| target | ack p50 / p99 ms | CPU, % of one core (box: ${os.availableParallelism() * 100}): load generator / server / postgres / other processes | generator: event-loop delay p99, schedule lag p99 ms |`,
    '|---|---:|---|---:|',
    ...rows.map((r) => {
      const c = r.cpu;
      const cpu = [c.loadgen, c.server, c.postgres, c.other].map(int).join(' / ');
      return `| ${r.target} | ${ms(r.ackP50)} / ${ms(r.ackP99)} | ${cpu} | ${ms(r.loopP99)}, ${ms(r.lagP99)} |`;
    }),
    '',
    `Medians of ${REPS} run(s) per target (max and lost/dupes/failed acks: over all runs), each ${DURATION_S} s ` +
      `measured after a ${WARMUP_S} s warm-up;`,
    "latency = sender's emit to the other side's message:new, one clock (the generator's).",
    `${N} customer sockets + ${Math.ceil(N / PER_AGENT_SOCKET)} agent sockets (${PER_AGENT_SOCKET} conversation(s) ` +
      `each, no inbox) + ${CONSOLES} agent consoles (the live inbox), ${AGENTS} agent accounts on the API; every socket sending ${round2((PER_AGENT_SOCKET * RATE) / (2 * N))} msg/s at most` +
      (INSTANCES > 1
        ? `; ${INSTANCES} API instances on one PostgreSQL, each conversation's customer and agent on different ones.`
        : '.'),
  );
  const saturated = rows.filter((r) => (r.cpu.loadgen ?? 0) > 85 || r.loopP99 > 20);
  if (saturated.length > 0) {
    lines.push(
      `warning: the load generator was near saturation for ${saturated.map((r) => r.target).join(', ')} ` +
        '(>85% of a core or event-loop p99 > 20 ms): its own delays are inside the latencies.',
    );
  }
  const shared = rows.filter((r) => r.otherMax > 20);
  if (shared.length > 0) {
    lines.push(
      `warning: other processes used up to ${shared.map((r) => `${int(r.otherMax)}% (${r.target})`).join(', ')} ` +
        'of a core during the measured windows: the box was shared, the figures are noisier than usual.',
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Waits until no server is busy any more (an API still working through a backlog from its last run,
 * say), so one run does not slow the next one down.
 */
async function settle(serverPids) {
  const started = Date.now();
  let last = cpuSnapshot(serverPids);
  while (Date.now() - started < 60_000) {
    await sleep(1000);
    checkInterrupted();
    const now = cpuSnapshot(serverPids);
    const delta = cpuDelta(last, now);
    last = now;
    if (Object.keys(serverPids).every((target) => delta[target] < 15)) {
      const waited = Math.round((Date.now() - started) / 1000);
      if (waited > 2) log(`waited ${waited} s for the servers to go idle`);
      return;
    }
  }
  log('warning: a server was still busy after 60 s; measuring anyway');
}

// ---- main ------------------------------------------------------------------------------------------
function checkOptions() {
  const bad =
    [N, RATE, DURATION_S, AGENTS, PER_AGENT_SOCKET, INSTANCES].some((x) => !(x > 0)) ||
    !(WARMUP_S >= 0) ||
    !(CONSOLES >= 0);
  if (bad) {
    throw expected(
      '--conversations, --rate, --duration, --agents, --instances and the per-socket share must be > 0.',
    );
  }
  if (!TARGETS) throw expected('--target must be both, api or reference.');
  // Stay under the API's per-socket limit (its burst of 10 absorbs timing jitter at exactly the
  // limit), or the run measures its refusals instead.
  const perSocket = (PER_AGENT_SOCKET * RATE) / (2 * N);
  if (perSocket > SOCKET_LIMIT_PER_S) {
    throw expected(
      `${round2(perSocket)} msg/s per socket would hit the API's limit of ${SOCKET_LIMIT_PER_S} msg/s per ` +
        'socket: use more conversations, a lower --rate, or fewer --conversations-per-agent-socket.',
    );
  }
}

async function main() {
  checkOptions();
  const apiNeeded = TARGETS.includes('api');
  if (apiNeeded && !existsSync(join(API_DIST, 'main.js')))
    throw expected('apps/api/dist is missing: run `pnpm build` first.');
  if (!existsSync(join(BENCH, 'node_modules', 'socket.io-client')))
    throw expected('bench/node_modules is missing socket.io-client: run `pnpm install` first.');
  const require = createRequire(import.meta.url);
  const { freePort } = require(join(API_DIST, 'database', 'embedded-postgres.js'));

  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z';
  const out = join(BENCH, 'results', stamp);
  mkdirSync(out, { recursive: true });
  log(`results -> ${out}`);
  log(`load average ${os.loadavg().map(round2).join(' ')}, ${os.availableParallelism()} cores`);
  if (os.loadavg()[0] > 0.5) log('warning: the box is not idle; the figures will be noisier than usual');
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const version = (name) =>
    JSON.parse(readFileSync(join(BENCH, 'node_modules', name, 'package.json'), 'utf8')).version;
  const env = {
    stamp,
    command: `node bench/chat.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    options: opts,
    git: { commit: git('rev-parse', 'HEAD'), uncommitted_changes: git('status', '--porcelain') !== '' },
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model,
    mem_mb: Math.round(os.totalmem() / 2 ** 20),
    kernel: os.release(),
    node: process.version,
    socket_io: version('socket.io'),
    socket_io_client: version('socket.io-client'),
    loadavg_start: os.loadavg(),
  };

  // Both servers stay up for the whole run; each rep connects fresh sockets to the same conversations.
  const targets = {};
  for (const target of TARGETS) {
    checkInterrupted();
    const logFile = join(out, `${target === 'api' ? 'api' : 'relay'}.log`);
    const server = target === 'api' ? await startApi(logFile, freePort) : await startRelay(logFile);
    const plan = target === 'api' ? await setUpApi(server) : setUpReference();
    targets[target] = { server, plan };
  }
  if (targets.api) {
    env.postgres = Object.fromEntries(
      (
        await sql(
          targets.api.server.databaseUrl,
          `SELECT name, current_setting(name) AS value FROM pg_settings
            WHERE name IN ('server_version', 'shared_buffers', 'max_connections', 'fsync', 'synchronous_commit')`,
        )
      ).map((row) => [row.name, row.value]),
    );
  }

  const runs = [];
  // Every server process: a second API instance is watched too.
  const serverPids = Object.fromEntries(
    Object.entries(targets).flatMap(([t, { server }]) =>
      Object.entries(server.watch)
        .filter(([label]) => label.startsWith('server'))
        .map(([label, pid]) => [`${t}${label.slice('server'.length)}`, pid]),
    ),
  );
  for (let rep = 1; rep <= REPS; rep++) {
    // Alternate which target goes first, so a drift of the box over time hits both alike.
    for (const target of rep % 2 ? TARGETS : [...TARGETS].reverse()) {
      checkInterrupted();
      await settle(serverPids);
      const { server, plan } = targets[target];
      const loadavg1 = os.loadavg()[0];
      const probe = target === 'api' ? await postgresProbe(server.databaseUrl, server) : undefined;
      let result;
      try {
        result = await runLoad(`${target} rep ${rep}`, server.baseUrls, plan, server.watch, probe);
      } finally {
        await probe?.close();
      }
      Object.assign(result, { target, rep, loadavg1_before: round2(loadavg1) });
      runs.push(result);
      appendFileSync(join(out, 'runs.jsonl'), JSON.stringify(result) + '\n');
      const c = result.cpu ?? {};
      log(
        `${target} rep ${rep}: ${result.delivered_per_s} msg/s delivered of ${result.sent_per_s} sent, ` +
          `p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, max ${result.latency_ms.max} ms, ` +
          `lost ${result.lost}, dupes ${result.dupes}, failed acks ${result.failed_acks}; CPU % generator ` +
          `${c.loadgen} / server ${c.server} / postgres ${c.postgres ?? '–'} / other ${c.other}`,
      );
    }
  }
  for (const target of [...TARGETS].reverse()) await targets[target].server.stop();

  env.loadavg_end = os.loadavg();
  writeFileSync(join(out, 'env.jsonl'), JSON.stringify(env) + '\n');
  const summary = summarize(runs);
  writeFileSync(join(out, 'summary.txt'), summary);
  process.stdout.write(summary);
  return runs.every((r) => r.lost === 0 && r.dupes === 0) ? 0 : 1;
}

await runMain(main);
