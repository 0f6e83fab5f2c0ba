import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const supportDir = fileURLToPath(new URL('.', import.meta.url));
export const repoRoot = resolve(supportDir, '../../../..');
export const apiMain = resolve(supportDir, '../../../api/dist/main.js');
export const webIndex = resolve(supportDir, '../../dist/index.html');

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const OUTPUT_LIMIT = 200_000;

/**
 * Only what a process needs to run passes through from the test runner's environment, so a developer's
 * own VONAGE_*, DATABASE_URL or .env-style exports never change what a browser test sees.
 */
const INHERITED_VARIABLES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

export interface StartAppOptions {
  /**
   * Extra configuration for the API, e.g. `{ SUPPORT_COMPANY_NAME: 'Globex' }`. `PUBLIC_URL` defaults to
   * the app's own address, so the links it sends (chat links in order emails) open this app.
   */
  env?: Record<string, string>;
  /** `test` unless a test needs production's rules (then set PUBLIC_URL and the secrets it requires). */
  nodeEnv?: 'test' | 'production';
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  /** `DATA_DIR`: holds the embedded PostgreSQL (`postgres/`) and its generated `postgres-password`. */
  dataDir: string;
  /** Everything the API printed so far. */
  output(): string;
  /** SIGINT, then SIGKILL after 20 s; removes the data directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the built app the way `pnpm start` does (`node apps/api/dist/main.js` from the repo root),
 * on a free port with a fresh data directory and its own embedded PostgreSQL, and waits for /health.
 */
export async function startApp(options: StartAppOptions = {}): Promise<RunningApp> {
  assertBuilt();
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  // mkdtemp makes it 0700; run as root, the embedded PostgreSQL runs as the OS user "postgres",
  // which must be able to enter it.
  await chmod(dataDir, 0o711);
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_VARIABLES) if (process.env[name] !== undefined) env[name] = process.env[name];
  const baseUrl = `http://127.0.0.1:${port}`;
  Object.assign(env, {
    PUBLIC_URL: baseUrl,
    ...options.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: options.nodeEnv ?? 'test',
  });

  let output = '';
  const child = spawn(process.execPath, [apiMain], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', record);
  child.stderr.on('data', record);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  // If the test runner dies without running afterAll, the API must not outlive it.
  const killOnExit = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const app: RunningApp = {
    baseUrl,
    dataDir,
    output: () => output,
    stop: () =>
      (stopped ??= (async () => {
        await stopProcess(child, exited, dataDir);
        process.off('exit', killOnExit);
        await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
      })()),
  };

  try {
    await waitForHealth(`${app.baseUrl}/health`, exited);
  } catch (error) {
    console.error(`The app did not start (${(error as Error).message}). Its output:\n${output}`);
    await app.stop();
    throw error;
  }
  return app;
}

function assertBuilt(): void {
  const missing = [apiMain, webIndex].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`Build the app first (\`pnpm build\` at the repo root); missing: ${missing.join(', ')}`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  if (typeof address !== 'object' || address === null) throw new Error('Could not find a free port');
  return address.port;
}

async function waitForHealth(url: string, exited: Promise<void>): Promise<void> {
  let processGone = false;
  void exited.then(() => (processGone = true));
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (processGone) throw new Error('the API process exited before /health answered 200');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `status ${response.status}: ${(await response.text()).slice(0, 500)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`GET ${url} did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}

async function stopProcess(child: ChildProcess, exited: Promise<void>, dataDir: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
  if (!timedOut) return;
  console.error(`The app did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGINT; killing it.`);
  child.kill('SIGKILL');
  await exited;
  await killOrphanedPostgres(dataDir);
}

/**
 * The embedded PostgreSQL runs in its own process group and is stopped by the API's shutdown; a SIGKILLed
 * API leaves it running, so stop it by the pid it wrote into our data directory.
 */
async function killOrphanedPostgres(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGQUIT');
    await sleep(2_000);
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
