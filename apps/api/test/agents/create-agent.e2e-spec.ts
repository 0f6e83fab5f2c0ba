import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppProcess, startAppProcess, withTimeout } from '../support/app-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const CLI = join(__dirname, '..', '..', 'dist', 'cli', 'create-agent.js');

function createAgent(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const login = (baseUrl: string, email: string, password: string) =>
  fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

describe('pnpm agent:create', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    // Empty: the command migrates the database before it adds the agent.
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('creates an agent or an admin with the password from AGENT_PASSWORD, once per email', async () => {
    const env = { DATABASE_URL: db.url, AGENT_PASSWORD: 'a long enough password' };

    const created = await createAgent(
      ['--email', 'ada@example.com', '--name', 'Ada Lovelace', '--admin'],
      env,
    );
    const again = await createAgent(['--email', 'ADA@example.com', '--name', 'Ada again'], env);
    const short = await createAgent(['--email', 'bob@example.com', '--name', 'Bob'], {
      ...env,
      AGENT_PASSWORD: 'too short',
    });
    const usage = await createAgent(['--name', 'No email'], env);

    expect(created).toEqual({
      code: 0,
      output: expect.stringMatching(/^Created admin Ada Lovelace <ada@example\.com> \(id \d+\)\.\n$/),
    });
    expect(again).toEqual({ code: 1, output: 'An agent with the email ADA@example.com already exists.\n' });
    expect(short.code).toBe(1);
    expect(short.output).toContain('AGENT_PASSWORD must be at least 10 characters');
    expect(usage.code).toBe(2);
    const [row] = await db.query<{ role: string; password_hash: string }>(
      `SELECT role, password_hash FROM users WHERE email = 'ada@example.com'`,
    );
    expect(row!.role).toBe('admin');
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
  }, 60_000);

  it('adds the agent to the embedded database of a running Switchboard, who can then sign in', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-cli-'));
    let app: AppProcess | undefined;
    try {
      app = await startAppProcess({ DATA_DIR: dataDir, NODE_ENV: 'development' });

      const created = await createAgent(['--email', 'grace@example.com', '--name', 'Grace Hopper'], {
        DATA_DIR: dataDir,
        AGENT_PASSWORD: 'another long password',
      });

      expect(created.code).toBe(0);
      expect((await login(app.baseUrl, 'grace@example.com', 'another long password')).status).toBe(200);
    } finally {
      app?.child.kill('SIGTERM');
      if (app) await withTimeout(app.exited, 20_000, 'exit');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
