import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../src/database/embedded-postgres';
import { migrations } from '../src/database/migrations';
import {
  type AppProcess,
  launchAppProcess,
  pressCtrlC,
  processesMentioning,
  startAppProcess,
  withTimeout,
} from './support/app-process';
import { createTestDatabase } from './support/test-database';

/** The built server as `pnpm start` runs it: embedded PostgreSQL, signals, restarts. */
describe('the server process', () => {
  let dataDir: string;
  const running: AppProcess[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchboard-data-'));
  });

  afterEach(async () => {
    for (const app of running.splice(0)) if (app.child.exitCode === null) app.child.kill('SIGKILL');
    for (const pid of await processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}): Promise<AppProcess> {
    const app = await startAppProcess({ DATA_DIR: dataDir, ...env });
    running.push(app);
    return app;
  }

  async function embeddedDatabase(port: number): Promise<Client> {
    const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim();
    const client = new Client({
      connectionString: `postgres://switchboard:${encodeURIComponent(password)}@127.0.0.1:${port}/switchboard`,
    });
    await client.connect();
    return client;
  }

  it('keeps the data across restarts and leaves no PostgreSQL behind on Ctrl-C or SIGTERM', async () => {
    // LOG_LEVEL: the start-up lines (the generated integration token) are what this test reads.
    const env = { EMBEDDED_DB_PORT: String(await freePort()), LOG_LEVEL: 'info' };
    const first = await start(env);
    const client = await embeddedDatabase(Number(env.EMBEDDED_DB_PORT));
    await client.query(`INSERT INTO app_settings (key, value) VALUES ('survives', 'a restart')`);
    await client.end();
    expect(await processesMentioning(dataDir)).not.toHaveLength(0);

    pressCtrlC(first);

    await expect(withTimeout(first.exited, 20_000, 'exit after Ctrl-C')).resolves.toBe(0);
    await expect(processesMentioning(dataDir)).resolves.toEqual([]);

    const second = await start(env);
    // The integration token generated on the first start is the one printed on every start.
    const token = /Authorization: Bearer (sb_[\w-]+)/.exec(first.output())?.[1];
    expect(token).toBeDefined();
    expect(second.output()).toContain(`Authorization: Bearer ${token}`);
    const again = await embeddedDatabase(Number(env.EMBEDDED_DB_PORT));
    await expect(again.query(`SELECT value FROM app_settings WHERE key = 'survives'`)).resolves.toMatchObject(
      {
        rows: [{ value: 'a restart' }],
      },
    );
    await again.end();

    second.child.kill('SIGTERM');

    await expect(withTimeout(second.exited, 20_000, 'exit after SIGTERM')).resolves.toBe(0);
    await expect(processesMentioning(dataDir)).resolves.toEqual([]);
  }, 120_000);

  it('takes over the PostgreSQL left running by a Switchboard that was killed', async () => {
    const killed = await start();
    process.kill(killed.child.pid!, 'SIGKILL');
    await killed.exited;
    expect(await processesMentioning(dataDir)).not.toHaveLength(0);

    const next = await start();
    await expect(fetch(`${next.baseUrl}/health`).then((response) => response.status)).resolves.toBe(200);

    pressCtrlC(next);
    await expect(withTimeout(next.exited, 20_000, 'exit after Ctrl-C')).resolves.toBe(0);
    await expect(processesMentioning(dataDir)).resolves.toEqual([]);
  }, 120_000);

  it('refuses to start on bad configuration, listing every problem at once', async () => {
    const app = launchAppProcess({
      DATA_DIR: dataDir,
      PORT: 'eighty',
      VONAGE_API_KEY: 'abcd1234',
      VONAGE_NUMBER: '447700900000',
    });
    running.push({ ...app, baseUrl: '' });

    await expect(withTimeout(app.exited, 20_000, 'exit')).resolves.toBe(1);
    expect(app.output()).toContain('Switchboard cannot start. Invalid configuration:');
    expect(app.output()).toContain('- PORT must be a whole number');
    expect(app.output()).toContain('- VONAGE_API_SECRET is required when VONAGE_API_KEY is set');
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
  }, 30_000);

  it('uses the server at DATABASE_URL instead of starting its own', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      const app = await start({ DATABASE_URL: db.url });

      await expect(db.query('SELECT count(*)::int AS n FROM migrations')).resolves.toEqual([
        { n: migrations.length },
      ]);
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
      app.child.kill('SIGTERM');
      await expect(withTimeout(app.exited, 20_000, 'exit after SIGTERM')).resolves.toBe(0);
    } finally {
      await db.drop();
    }
  }, 60_000);
});
