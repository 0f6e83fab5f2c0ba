import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/database/embedded-postgres';

export const MAIN_JS = join(__dirname, '..', '..', 'dist', 'main.js');

export interface AppProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs the built server the way `pnpm start` does, in its own process group like a terminal's
 * foreground job, so a test can send "Ctrl-C" to the whole group.
 */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: build the API first (pnpm build)`);
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const launched = launchAppProcess({ NODE_ENV: 'test', ...env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  let exitCode: number | null | undefined;
  void launched.exited.then((code) => (exitCode = code));
  for (const started = Date.now(); Date.now() - started < 60_000; await sleep(200)) {
    if (exitCode !== undefined)
      throw new Error(`the app exited (${exitCode}) during start-up:\n${launched.output()}`);
    const healthy = await fetch(`${baseUrl}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { ...launched, baseUrl };
  }
  launched.child.kill('SIGKILL');
  throw new Error(`the app was not healthy within 60 s:\n${launched.output()}`);
}

export function launchAppProcess(env: Record<string, string>): Omit<AppProcess, 'baseUrl'> {
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: join(__dirname, '..', '..', '..', '..'),
    env: { PATH: process.env.PATH ?? '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Like a terminal's Ctrl-C: SIGINT to every process of the foreground group. */
export function pressCtrlC(app: Pick<AppProcess, 'child'>): void {
  process.kill(-app.child.pid!, 'SIGINT');
}

/** PIDs of running processes whose command line mentions `text` (e.g. a data directory). */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const state = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (cmdline.replaceAll('\0', ' ').includes(text) && !/\) Z /.test(state)) pids.push(Number(entry));
  }
  return pids;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const timeout = sleep(ms, undefined, { ref: false }).then(() => {
    throw new Error(`${what} did not happen within ${ms} ms`);
  });
  return Promise.race([promise, timeout]);
}
