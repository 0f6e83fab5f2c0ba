import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { migrations } from '../src/database/migrations';
import { type AppProcess, startAppProcess, withTimeout } from './support/app-process';
import { ChatClient } from './support/chat-clients';
import { eventually } from './support/eventually';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const JWT_SECRET = 'two-processes-share-this-signing-secret!';
const API_TOKEN = 'two-processes-share-this-token';

/**
 * Two API processes on one PostgreSQL, as behind the compose file's proxy (which is one trusted hop
 * on loopback here): chat fans out through the database, and rate limits are counted there.
 */
describe('Two API processes on one PostgreSQL', () => {
  let db: TestDatabase;
  const processes: AppProcess[] = [];
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { DATABASE_URL: db.url, JWT_SECRET, API_TOKEN, TRUST_PROXY: 'loopback' };
    processes.push(...(await Promise.all([startAppProcess(env), startAppProcess(env)])));
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const app of processes) app.child.kill('SIGTERM');
    await Promise.all(processes.map((app) => withTimeout(app.exited, 20_000, 'exit')));
    await db.drop();
  }, 60_000);

  it('share the sign-in limit: the sixth attempt in a minute from one client is refused wherever it lands', async () => {
    const [one, two] = processes as [AppProcess, AppProcess];
    const attempt = (process: AppProcess, client: string) =>
      fetch(`${process.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }),
      }).then((response) => response.status);

    // Alternating like a round-robin proxy: five wrong passwords, then the sixth is refused on either.
    const statuses = [];
    for (const process of [one, two, one, two, one]) statuses.push(await attempt(process, '203.0.113.9'));
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(await attempt(two, '203.0.113.9')).toBe(429);
    expect(await attempt(one, '203.0.113.9')).toBe(429);
    // Another client is counted on its own, and a client cannot pose as one by prepending addresses:
    // the proxy appends the peer it saw, and only that last hop is believed.
    expect(await attempt(one, '198.51.100.20')).toBe(401);
    expect(await attempt(two, '203.0.113.9, 198.51.100.21')).toBe(401);
  }, 60_000);

  it('count every throttled route in the database: the chat-session limit too', async () => {
    const [one, two] = processes as [AppProcess, AppProcess];
    const open = (process: AppProcess) =>
      fetch(`${process.baseUrl}/api/chat/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
        body: JSON.stringify({ conversationId: '1', token: 'not-a-link' }),
      }).then((response) => response.status);

    const statuses = await Promise.all(Array.from({ length: 120 }, (_, i) => open(i % 2 ? one : two)));
    expect(statuses.every((status) => status === 401)).toBe(true);
    expect(await open(one)).toBe(429);
    expect(await open(two)).toBe(429);
  }, 60_000);

  it('deliver a customer on one process and an agent on the other to each other', async () => {
    const [one, two] = processes as [AppProcess, AppProcess];
    const shop = (path: string, body: unknown) =>
      fetch(`${one.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((response) => response.json() as Promise<Record<string, string>>);
    const username = `two-${randomUUID()}`;
    const { conversationId } = await shop('/api/users', { username, name: 'Ada', email: 'ada@example.com' });
    const { chatUrl } = await shop('/order', { username });
    const session = (await (
      await fetch(`${one.baseUrl}/api/chat/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId, token: new URL(chatUrl!).searchParams.get('token') }),
      })
    ).json()) as { accessToken: string };
    const [{ id: agentId }] = (await db.query(
      `INSERT INTO users (role, name, email) VALUES ('agent', 'Grace', 'grace@switchboard.example') RETURNING id::text`,
    )) as [{ id: string }];
    const agentToken = new JwtService().sign(
      { typ: 'agent-access', sub: agentId, role: 'agent', name: 'Grace', sid: randomUUID() },
      { secret: JWT_SECRET, expiresIn: 900 },
    );

    const customer = await ChatClient.connect(one.baseUrl, session.accessToken);
    const agent = await ChatClient.connect(two.baseUrl, agentToken);
    clients.push(customer, agent);
    await customer.join(conversationId!);
    await agent.join(conversationId!);
    await customer.send(conversationId!, 'Sent to process one');
    await agent.send(conversationId!, 'Sent to process two');

    await eventually(
      async () => agent.received.find((m) => m.body === 'Sent to process one'),
      'agent on process two',
    );
    await eventually(
      async () => customer.received.find((m) => m.body === 'Sent to process two'),
      'customer on process one',
    );
    await expect(db.query('SELECT count(*)::int AS n FROM migrations')).resolves.toEqual([
      { n: migrations.length },
    ]);
  }, 60_000);
});
