import { InboxEvent, type InboxChanged, type TicketDetail, type TicketPage } from '@switchboard/contracts';
import { Client } from 'pg';
import { anAgent, ChatClient } from './support/chat-clients';
import { eventually } from './support/eventually';
import { startReplicatedCluster, type ReplicatedCluster } from './support/replica-cluster';
import { aPhoneNumber, deliver, inboundSms } from './support/sms-webhooks';
import { startTestApp, type TestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

/** The standby applies each commit this long after it: a replica that lags, on purpose. */
const LAG_MS = 4_000;

/**
 * DATABASE_READ_URL on a real streaming standby that lags: the inbox reads from it, yet an agent sees
 * their own change at once (the X-Position of their write, sent back as X-Read-After) and every change
 * an inbox event told them of (its position); without a position the lag shows, and a replica that
 * goes away costs nothing but its speed.
 */
describe('inbox reads on a lagging read replica', () => {
  let cluster: ReplicatedCluster;
  let sut: TestApp;
  let agent: { id: string; accessToken: string };

  beforeAll(async () => {
    cluster = await startReplicatedCluster('switchboard', `${LAG_MS}ms`);
    const primary = new Client({ connectionString: cluster.primaryUrl });
    await primary.connect();
    const db: TestDatabase = {
      url: cluster.primaryUrl,
      query: async <T>(sql: string, params?: unknown[]) => (await primary.query(sql, params)).rows as T[],
      drop: () => primary.end(),
    } as TestDatabase;
    sut = await startTestApp({
      db,
      env: { DATABASE_URL: cluster.primaryUrl, DATABASE_READ_URL: cluster.replicaUrl },
    });
    agent = await anAgent(sut, 'Grace');
    // The standby replays the migrations LAG_MS after the primary ran them.
    await eventually(
      async () => {
        const replica = new Client({ connectionString: cluster.replicaUrl });
        await replica.connect();
        try {
          // The tables come with the migrations, LAG_MS later.
          const { rows } = await replica
            .query(`SELECT 1 FROM users WHERE id = $1`, [agent.id])
            .catch(() => ({ rows: [] }));
          return rows.length === 1 || undefined;
        } finally {
          await replica.end();
        }
      },
      'the standby replaying the migrations',
      LAG_MS * 3,
    );
  }, 60_000);

  afterAll(async () => {
    await sut?.close();
    await sut?.db.drop();
    await cluster?.stop();
  });

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${sut.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${agent.accessToken}`,
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const mine = async (headers: Record<string, string> = {}) =>
    ((await (await call('GET', '/api/tickets?assignee=me', headers)).json()) as TicketPage).items.map(
      (ticket) => ticket.id,
    );

  async function smsTicket(): Promise<string> {
    const phone = aPhoneNumber();
    await deliver(
      sut.baseUrl,
      '/webhooks/inbound-sms',
      inboundSms({ msisdn: phone, text: 'Where is my parcel?' }),
    );
    const [row] = await sut.db.query<{ id: string }>(
      `SELECT t.id::text FROM tickets t JOIN users u ON u.id = t.customer_id WHERE u.phone = $1`,
      [`+${phone}`],
    );
    return row!.id;
  }

  it('shows an agent their own change at once, though the replica shows it only after its lag', async () => {
    const ticketId = await smsTicket();
    const assigned = await call('PATCH', `/api/tickets/${ticketId}`, {}, { assigneeId: agent.id });
    expect(assigned.status).toBe(200);
    const position = assigned.headers.get('x-position');
    expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

    expect(await mine({ 'x-read-after': position! })).toContain(ticketId);
    // Without the position the replica answers, and it has not replayed the change yet.
    expect(await mine()).not.toContain(ticketId);
    await eventually(
      async () => (await mine()).includes(ticketId) || undefined,
      'the replica showing the change',
      LAG_MS * 3,
    );
  });

  it('reads what an inbox event told of, at the position the event carries', async () => {
    const socket = await ChatClient.connect(sut.baseUrl, agent.accessToken);
    try {
      const ticketId = await smsTicket();
      const change = await eventually(
        async () =>
          socket.events
            .filter((event) => event.event === InboxEvent.Changed)
            .flatMap((event) => event.payload as InboxChanged[])
            .find((candidate) => candidate.ticketId === ticketId),
        'the inbox event of the new ticket',
        5_000,
      );
      expect(change.position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const opened = await call('GET', `/api/tickets/${ticketId}`, { 'x-read-after': change.position! });
      expect(opened.status).toBe(200);
      expect(((await opened.json()) as TicketDetail).thread[0]).toMatchObject({
        body: 'Where is my parcel?',
      });
      // The replica alone does not know the ticket yet.
      expect((await call('GET', `/api/tickets/${ticketId}`)).status).toBe(404);
    } finally {
      socket.close();
    }
  });

  it('refuses a position that is not one, naming the header', async () => {
    const answer = await call('GET', '/api/tickets', { 'x-read-after': "0/0'; DROP TABLE tickets" });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ errors: [{ field: 'X-Read-After' }] });
  });

  it('reads from the primary when the replica goes away', async () => {
    const ticketId = await smsTicket();
    await cluster.stopReplica();
    const answer = await call('GET', '/api/tickets?status=unresolved');
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as TicketPage).items.map((ticket) => ticket.id)).toContain(ticketId);
  });
});
