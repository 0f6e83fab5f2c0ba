#!/usr/bin/env node
// `pnpm bench:sms`: the API's inbound-SMS webhook against the bare reference server of the shared
// harness (../shared/bench), in the same run, with the same load, on the same kind of database.
// What it measures and why it is done this way: docs/benchmarks.md.
//
//   node bench/sms.mjs [--duration 10] [--connections 50] [--reps 3] [--warmup 3]
//   BENCH_HARNESS_DIR=/path/to/harness   (default: ../shared/bench beside the repo)
//
// Progress on stderr, the summary table on stdout, raw JSON lines in bench/results/<stamp>/ (named
// .jsonl/.txt/.log, which prettier leaves alone: it does not read bench/.gitignore).
// Exit code: 0 measured (target met or not), 1 an invariant check failed, 2 could not run, 130 interrupted.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  active,
  baseEnv,
  checkInterrupted,
  cleanupAll,
  defer,
  expected,
  interrupted,
  log,
  postmaster,
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
const HARNESS_FILES = [
  'baseline-server.mjs',
  'load.mjs',
  'verify.mjs',
  'lib.mjs',
  'schema.sql',
  'inbound.sql',
];
const WEBHOOK = '/webhooks/inbound-sms';
// Warm-ups text from their own 1,000 customers, so the measured run still opens ~1,000 tickets.
const WARMUP_MSISDN_BASE = '447711000000';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    reps: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
  },
});
const REPS = Math.max(1, parseInt(opts.reps, 10));

const round2 = (x) => Math.round(x * 100) / 100;

/** Runs a harness script to completion: its stdout is returned, its stderr is our progress. */
async function runScript(harness, script, args, env = {}) {
  const child = spawnTracked([join(harness, script), ...args], {
    cwd: harness,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  active.add(child);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  const code = await child.exited;
  active.delete(child);
  checkInterrupted();
  return { code, json: stdout.trim() ? JSON.parse(stdout.trim().split('\n').at(-1)) : null };
}

const SETTINGS = [
  'server_version',
  'shared_buffers',
  'max_connections',
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'wal_level',
  'wal_buffers',
  'max_wal_size',
  'checkpoint_timeout',
  'work_mem',
];
async function settingsOf(url) {
  const rows = await sql(
    url,
    `SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1)
     UNION ALL SELECT 'collation', datcollate || ' / ' || datctype FROM pg_database WHERE datname = current_database()`,
    [SETTINGS],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.value]).sort());
}

// ---- the harness: copied to a temp dir so its bare imports resolve to bench/node_modules ---------
function prepareHarness() {
  const source = resolve(process.env.BENCH_HARNESS_DIR ?? join(ROOT, '..', 'shared', 'bench'));
  const missing = HARNESS_FILES.filter((file) => !existsSync(join(source, file)));
  if (missing.length > 0) {
    throw expected(
      `The shared benchmark harness was not found in ${source} (missing ${missing.join(', ')}). It lives beside ` +
        'the repository in ../shared/bench; set BENCH_HARNESS_DIR to its folder to use another copy.',
    );
  }
  if (!existsSync(join(BENCH, 'node_modules', 'autocannon'))) {
    throw expected('bench/node_modules is missing autocannon: run `pnpm install` first.');
  }
  const { dir } = tempDir('harness');
  for (const file of HARNESS_FILES) copyFileSync(join(source, file), join(dir, file));
  symlinkSync(join(BENCH, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { source, dir };
}

// ---- the two targets -----------------------------------------------------------------------------
async function startReference(harness, databaseUrl, logFile) {
  const port = await freePort();
  const logFd = openSync(logFile, 'a');
  const child = spawnTracked(['baseline-server.mjs', '--port', String(port), '--mode', 'cte'], {
    cwd: harness,
    env: { ...baseEnv(), DATABASE_URL: databaseUrl },
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
  let ready = false;
  child.stdout.setEncoding('utf8').on('data', (chunk) => (ready ||= chunk.includes('"ready":true')));
  await waitFor('the reference server did not print {"ready":true}', 30_000, () => {
    if (child.exitCode !== null) throw new Error(`the reference server exited; see ${logFile}`);
    return ready;
  });
  return { pid: child.pid, url: `http://127.0.0.1:${port}${WEBHOOK}`, stop };
}

// Production settings, with these deliberate changes:
// - SMS and email go to the sandbox providers (SANDBOX=true), so nothing is sent anywhere.
// - load.mjs does not sign its webhooks (nor does the reference check any): VONAGE_ALLOW_UNSIGNED.
// - The global cap on automated SMS (SMS_AUTO_PER_MINUTE, default 60) is lifted to its maximum. The
//   load opens ~1,000 tickets in seconds; capped, all but 60 of their confirmations would be stored as
//   `suppressed` instead of enqueued, skipping work the reference does (it enqueues one confirmation per
//   new ticket). Sending itself stays at VONAGE_SMS_RATE (default 30 per second).
const API_SETTINGS = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'https://bench.switchboard.example',
  SANDBOX: 'true',
  VONAGE_ALLOW_UNSIGNED: 'true',
  SMS_AUTO_PER_MINUTE: '100000',
};

async function startApi(logFile) {
  // The secrets production insists on are random.
  const api = await startBuiltApi({
    root: ROOT,
    port: await freePort(),
    env: {
      ...API_SETTINGS,
      JWT_SECRET: randomBytes(36).toString('base64url'),
      API_TOKEN: randomBytes(24).toString('base64url'), // required in production; unused by the webhook
    },
    logFile,
    dataName: 'api-data',
  });
  return { ...api, url: `${api.baseUrl}${WEBHOOK}` };
}

// verify.mjs pointed at our schema. Messages are narrowed to inbound Vonage ones: outbound rows have
// no provider_message_id while queued (NULLs would make G1's count(*) <> count(DISTINCT)), and the
// unique key is (provider, provider_message_id). A subquery without alias is valid on PostgreSQL 16+.
// R2 uses author_id (the customer, whose id tickets.customer_id holds) in place of an msisdn column.
const API_VERIFY_ARGS = [
  ['--messages', "(SELECT * FROM messages WHERE provider = 'vonage' AND direction = 'in')"],
  ['--message-id-col', 'provider_message_id'],
  ['--message-msisdn-col', 'author_id'],
  ['--message-ticket-col', 'ticket_id'],
  ['--tickets', 'tickets'],
  ['--ticket-msisdn-col', 'customer_id'],
  ['--open-where', "status <> 'resolved' AND channel = 'sms'"],
  ['--outbox', 'messages'],
  ['--outbox-ticket-col', 'ticket_id'],
  ['--confirmation-where', "direction = 'out' AND payload->>'automated' = 'confirmation'"],
].flat();

// G3 as the API means it, which verify.mjs cannot express: a ticket opened by a keyword (STOP, START,
// HELP; the load sends STOP as 1 message in 6) gets no confirmation, any other new ticket exactly one.
// The ticket's first inbound message opened it (messages of one customer are serialised).
const API_G3_SQL = `
  WITH opener AS (
    SELECT DISTINCT ON (ticket_id) ticket_id, body FROM messages
     WHERE direction = 'in' AND kind = 'text' ORDER BY ticket_id, id
  ), confirmations AS (
    SELECT ticket_id, count(*)::int AS n, count(*) FILTER (WHERE status = 'queued')::int AS queued
      FROM messages WHERE direction = 'out' AND payload->>'automated' = 'confirmation' GROUP BY ticket_id
  ), per_ticket AS (
    SELECT t.id, coalesce(c.n, 0) AS confirmations, coalesce(c.queued, 0) AS queued,
           CASE WHEN upper(btrim(regexp_replace(btrim(o.body), '[.!]+$', ''))) IN
                     ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT',
                      'START', 'UNSTOP', 'HELP') THEN 0 ELSE 1 END AS expected
      FROM tickets t LEFT JOIN opener o ON o.ticket_id = t.id LEFT JOIN confirmations c ON c.ticket_id = t.id
     WHERE t.channel = 'sms'
  )
  SELECT count(*)::int AS tickets,
         count(*) FILTER (WHERE expected = 0)::int AS opened_by_keyword,
         sum(confirmations)::int AS confirmations,
         sum(queued)::int AS confirmations_still_queued,
         count(*) FILTER (WHERE confirmations <> expected)::int AS violations,
         (SELECT count(*) FROM messages m WHERE direction = 'out' AND payload->>'automated' = 'confirmation'
             AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = m.ticket_id))::int AS orphan_confirmations
    FROM per_ticket`;

async function verifyApi(harness, databaseUrl, manifest) {
  const args = ['--manifest', manifest, ...API_VERIFY_ARGS];
  const { code, json } = await runScript(harness, 'verify.mjs', args, { DATABASE_URL: databaseUrl });
  if (code === 2 || !json) throw new Error(`verify.mjs could not run (exit ${code})`);
  const [g3] = await sql(databaseUrl, API_G3_SQL);
  const g3ok = g3.violations === 0 && g3.orphan_confirmations === 0;
  const checks = json.checks.map((check) =>
    check.name.startsWith('G3')
      ? {
          name: 'G3 one confirmation per ticket, none for one opened by STOP/START/HELP (SQL in sms.mjs)',
          ok: g3ok,
          ...g3,
          verify_mjs: check,
        }
      : check,
  );
  return { ok: checks.every((check) => check.ok), checks };
}

// ---- one measured run ------------------------------------------------------------------------------
async function measure({ harness, target, rep, url, serverPid, postgresPid, databaseUrl, out }) {
  const loadArgs = [
    ['--url', url, '--connections', opts.connections],
    ['--msisdns', '1000', '--dup-ratio', '0.1'],
  ];
  log(`${target} rep ${rep}: warm-up ${opts.warmup} s (other customers)`);
  const warm = await runScript(harness, 'load.mjs', [
    ...loadArgs.flat(),
    ...['--duration', opts.warmup, '--msisdn-base', WARMUP_MSISDN_BASE, '--label', `${target}-warmup`],
  ]);
  if (warm.code !== 0) throw new Error(`load.mjs (warm-up) exited with ${warm.code}`);
  appendFileSync(join(out, 'warmups.jsonl'), JSON.stringify({ target, rep, ...warm.json }) + '\n');
  // Requests the load generator abandoned finish; the checkpoint is not left for the measured run.
  await sleep(1000);
  await sql(databaseUrl, 'CHECKPOINT');

  const manifest = join(out, `manifest-${target}-${rep}.jsonl`);
  const watch = `server=${serverPid},postgres=${postgresPid}`;
  const loadavg1 = os.loadavg()[0];
  const run = await runScript(harness, 'load.mjs', [
    ...loadArgs.flat(),
    ...['--duration', opts.duration, '--manifest', manifest, '--watch', watch, '--label', target],
  ]);
  if (run.code !== 0) throw new Error(`load.mjs exited with ${run.code}`);
  const result = { target, rep, loadavg1_before: round2(loadavg1), ...run.json };
  if (target === 'api') {
    // The API starts its PostgreSQL as its child, so the "server" tree includes the postgres tree;
    // both come from the same /proc snapshots, so the difference is exactly the API's own CPU.
    const cpu = result.cpu;
    result.cpu = {
      ...cpu,
      server: Math.round((cpu.server - cpu.postgres) * 10) / 10,
      other: Math.round((cpu.other + cpu.postgres) * 10) / 10,
      server_tree_incl_postgres: cpu.server,
    };
  }
  const perRequest = (pct) => Math.round((pct * 1e4) / result.rps);
  result.cpu_us_per_request = {
    server: perRequest(result.cpu.server),
    postgres: perRequest(result.cpu.postgres),
    loadgen: perRequest(result.cpu.loadgen),
  };

  await sleep(1000); // as above: let abandoned in-flight requests commit before counting rows
  if (target === 'api') {
    result.verify = await verifyApi(harness, databaseUrl, manifest);
  } else {
    const { code, json } = await runScript(harness, 'verify.mjs', ['--manifest', manifest], {
      DATABASE_URL: databaseUrl,
    });
    if (code === 2 || !json) throw new Error(`verify.mjs could not run (exit ${code})`);
    result.verify = json;
  }
  result.verify_ok = result.verify.ok;
  appendFileSync(join(out, 'runs.jsonl'), JSON.stringify(result) + '\n');
  const failed = result.verify.checks.filter((check) => !check.ok).map((check) => check.name.split(' ')[0]);
  log(
    `${target} rep ${rep}: ${result.rps} rps, p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, ` +
      `non-2xx ${result.non2xx}, errors ${result.errors}, verify ${result.verify_ok ? 'ok' : `FAILED (${failed})`}, ` +
      `CPU µs/req server ${result.cpu_us_per_request.server} / postgres ${result.cpu_us_per_request.postgres}, ` +
      `other ${result.cpu.other}%`,
  );
  return result;
}

// ---- summary ---------------------------------------------------------------------------------------
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
const int = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) => x.toFixed(1);

function summarize(runs, pgVersion) {
  const of = (target) => {
    const rs = runs.filter((run) => run.target === target);
    if (rs.length === 0) return null;
    const rps = rs.map((run) => run.rps);
    return {
      target,
      runs: rs.length,
      rps: median(rps),
      rpsMin: Math.min(...rps),
      rpsMax: Math.max(...rps),
      p50: median(rs.map((run) => run.latency_ms.p50)),
      p99: median(rs.map((run) => run.latency_ms.p99)),
      non2xx: rs.reduce((sum, run) => sum + run.non2xx, 0),
      errors: rs.reduce((sum, run) => sum + run.errors, 0), // autocannon counts timeouts among errors
      verified: rs.filter((run) => run.verify_ok).length,
      server: median(rs.map((run) => run.cpu_us_per_request.server)),
      postgres: median(rs.map((run) => run.cpu_us_per_request.postgres)),
      loadgen: median(rs.map((run) => run.cpu_us_per_request.loadgen)),
      cpu: Object.fromEntries(
        ['loadgen', 'server', 'postgres', 'system_busy', 'other'].map((k) => [
          k,
          median(rs.map((run) => run.cpu[k])),
        ]),
      ),
    };
  };
  const rows = [of('reference'), of('api')].filter(Boolean);
  const lines = [
    '| target | rps median (min–max) | p50 ms | p99 ms | non-2xx | errors | verify ok | CPU µs/request server / postgres |',
    '|---|---:|---:|---:|---:|---:|---|---:|',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${int(r.rps)} (${int(r.rpsMin)}–${int(r.rpsMax)}) | ${ms(r.p50)} | ${ms(r.p99)} | ` +
        `${r.non2xx} | ${r.errors} | ${r.verified}/${r.runs} | ${int(r.server)} / ${int(r.postgres)} |`,
    ),
  ];
  const [reference, api] = [rows.find((r) => r.target === 'reference'), rows.find((r) => r.target === 'api')];
  if (reference && api) {
    const ratio = (100 * api.rps) / reference.rps;
    const pass = ratio >= 60 && api.p99 < 50 && api.verified === api.runs;
    lines.push(
      '',
      `ratio: API/reference = ${ratio.toFixed(1)}%`,
      `target: ≥60% rps and p99 < 50 ms: ${pass ? 'PASS' : 'FAIL'} ` +
        `(${ratio.toFixed(1)}% of the reference's rps, API p99 ${ms(api.p99)} ms` +
        `${api.verified === api.runs ? '' : ', invariants violated'})`,
    );
  }
  lines.push(
    '',
    `| target | CPU, % of one core (box: ${os.availableParallelism() * 100}): loadgen / server / postgres / box busy / other | loadgen µs/request |`,
    '|---|---|---:|',
    ...rows.map((r) => {
      const c = Object.values(r.cpu).map(int).join(' / ');
      return `| ${r.target} | ${c} | ${int(r.loadgen)} |`;
    }),
  );
  lines.push(
    '',
    `medians of ${REPS} run(s) of ${opts.duration} s per target, ${opts.connections} connections, 1,000 customers,`,
    `10% replays. Both sides use the embedded PostgreSQL ${pgVersion} with its default settings; the shared RESULTS.md`,
    "used Debian's PostgreSQL 15 with tuned settings, so compare the ratio, not the absolute numbers.",
  );
  return lines.join('\n') + '\n';
}

// ---- main ------------------------------------------------------------------------------------------
let freePort;
async function main() {
  if (!existsSync(join(API_DIST, 'main.js')))
    throw expected('apps/api/dist is missing: run `pnpm build` first.');
  const require = createRequire(import.meta.url);
  const embedded = require(join(API_DIST, 'database', 'embedded-postgres.js'));
  freePort = embedded.freePort;

  const harness = prepareHarness();
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z';
  const out = join(BENCH, 'results', stamp);
  mkdirSync(out, { recursive: true });
  const nproc = os.availableParallelism();
  log(`results -> ${out}`);
  log(`harness ${harness.source}; load average ${os.loadavg().map(round2).join(' ')}, ${nproc} cores`);
  if (os.loadavg()[0] > 0.5) log('warning: the box is not idle; the figures will be noisier than usual');
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const env = {
    stamp,
    command: `node bench/sms.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    options: opts,
    harness: harness.source,
    git: { commit: git('rev-parse', 'HEAD'), uncommitted_changes: git('status', '--porcelain') !== '' },
    nproc,
    cpu: os.cpus()[0]?.model,
    mem_mb: Math.round(os.totalmem() / 2 ** 20),
    kernel: os.release(),
    node: process.version,
    autocannon: JSON.parse(readFileSync(join(BENCH, 'node_modules/autocannon/package.json'), 'utf8')).version,
    pg: JSON.parse(readFileSync(join(BENCH, 'node_modules/pg/package.json'), 'utf8')).version,
    loadavg_start: os.loadavg(),
    api_settings: API_SETTINGS,
    postgres: {},
  };

  // The reference: one embedded cluster for the whole run, truncated before each of its reps.
  const referenceData = tempDir('reference-pg');
  const referenceDb = await embedded.EmbeddedPostgres.start({
    dataDir: referenceData.dir,
    database: 'bench',
  });
  defer(() => referenceDb.stop());
  await sql(referenceDb.url, readFileSync(join(harness.dir, 'schema.sql'), 'utf8'));
  env.postgres.reference = await settingsOf(referenceDb.url);
  const referencePostgresPid = postmaster(join(referenceData.dir, 'postgres')).pid;
  const reference = await startReference(harness.dir, referenceDb.url, join(out, 'reference-server.log'));
  log(`reference server pid ${reference.pid}, its PostgreSQL pid ${referencePostgresPid}`);

  const runs = [];
  for (let rep = 1; rep <= REPS; rep++) {
    // Alternate which target goes first, so a drift of the box over time hits both alike.
    for (const target of rep % 2 ? ['reference', 'api'] : ['api', 'reference']) {
      checkInterrupted();
      if (target === 'reference') {
        await sql(referenceDb.url, 'TRUNCATE messages, tickets, outbox RESTART IDENTITY');
        runs.push(
          await measure({
            harness: harness.dir,
            target,
            rep,
            url: reference.url,
            serverPid: reference.pid,
            postgresPid: referencePostgresPid,
            databaseUrl: referenceDb.url,
            out,
          }),
        );
      } else {
        // A fresh API (new DATA_DIR, so a new cluster, migrations, empty queues) per rep: the API's
        // equivalent of the reference's TRUNCATE, without reaching into pg-boss under a running worker.
        log(`api rep ${rep}: starting the API on a fresh embedded PostgreSQL`);
        const api = await startApi(join(out, `api-${rep}.log`));
        try {
          env.postgres.api ??= await settingsOf(api.databaseUrl);
          runs.push(
            await measure({
              harness: harness.dir,
              target,
              rep,
              url: api.url,
              serverPid: api.pid,
              postgresPid: api.postgresPid,
              databaseUrl: api.databaseUrl,
              out,
            }),
          );
        } finally {
          await api.stop();
        }
      }
    }
  }

  env.loadavg_end = os.loadavg();
  const differing = Object.keys(env.postgres.reference).filter(
    (name) => env.postgres.api && env.postgres.reference[name] !== env.postgres.api[name],
  );
  if (differing.length > 0) log(`warning: the two PostgreSQL clusters differ in ${differing.join(', ')}`);
  writeFileSync(join(out, 'env.jsonl'), JSON.stringify(env) + '\n');
  const summary = summarize(runs, env.postgres.reference.server_version);
  writeFileSync(join(out, 'summary.txt'), summary);
  process.stdout.write(summary);
  return runs.every((run) => run.verify_ok) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  log(interrupted ? 'interrupted' : `failed: ${error.expected ? error.message : (error.stack ?? error)}`);
  process.exitCode = interrupted ? 130 : 2;
} finally {
  await cleanupAll();
  // Explicitly: embedded-postgres's async-exit-hook exits with 0 on 'beforeExit', losing our code.
  process.exit(process.exitCode);
}
