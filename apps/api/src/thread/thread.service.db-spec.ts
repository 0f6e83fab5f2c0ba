import type { ChatMessage, InboxChanged, ReadChanged } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/migration-runner';
import { Metrics } from '../metrics/metrics';
import { Realtime } from '../realtime/realtime';
import { MessageDelivery } from './message-delivery';
import { ReplyChannels } from './reply-channels';
import { ThreadMessagesRepository } from './thread-messages.repository';
import { ThreadTicketsRepository } from './thread-tickets.repository';
import { ThreadService } from './thread.service';
import { ThreadViews } from './thread-views';

/** What the thread told the sockets, in order. */
class RecordingRealtime extends Realtime {
  readonly told: ({ message: ChatMessage } | { inbox: InboxChanged } | { read: ReadChanged })[] = [];

  override message(message: ChatMessage): void {
    this.told.push({ message });
  }

  override inbox(change: InboxChanged): void {
    this.told.push({ inbox: change });
  }

  override read(change: ReadChanged): void {
    this.told.push({ read: change });
  }
}

const ADA = { agentId: '', name: 'Ada' };
const uuid = () => crypto.randomUUID();

describe(ThreadService.name, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let realtime: RecordingRealtime;
  let views: ThreadViews;
  let delivery: MessageDelivery;
  let messages: ThreadMessagesRepository;
  let sut: ThreadService;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    await runMigrationsLocked(dataSource);
    [{ id: ADA.agentId }] = await db.query<{ id: string }>(
      `INSERT INTO users (role, name, email) VALUES ('agent', 'Ada', 'ada@example.com') RETURNING id::text`,
    );
  });

  beforeEach(() => {
    realtime = new RecordingRealtime();
    views = new ThreadViews(dataSource);
    delivery = new MessageDelivery(dataSource);
    messages = new ThreadMessagesRepository(dataSource, new Metrics());
    sut = new ThreadService(new ThreadTicketsRepository(dataSource), messages, views, realtime);
  });

  afterEach(() => messages.onApplicationShutdown());

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const aCustomer = async () =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO users (role, username, name) VALUES ('customer', $1, 'Grace') RETURNING id::text`,
        [`grace-${uuid()}`],
      )
    )[0]!.id;
  const aTicket = async (status: 'open' | 'pending' | 'resolved', channel = 'sms', customerId?: string) =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO tickets (customer_id, channel, status, resolved_at)
         VALUES ($1, $2, $3, CASE WHEN $3 = 'resolved' THEN now() END) RETURNING id::text`,
        [customerId ?? (await aCustomer()), channel, status],
      )
    )[0]!.id;
  const ticket = (id: string) =>
    db
      .query<{
        status: string;
        assignee_id: string | null;
        customer_read_seq: number;
        agent_read_seq: number;
        last_seq: number;
      }>(
        `SELECT status, assignee_id::text, customer_read_seq, agent_read_seq, last_seq FROM tickets WHERE id = $1`,
        [id],
      )
      .then((rows) => rows[0]!);
  const events = (ticketId: string) =>
    db
      .query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM messages WHERE ticket_id = $1 AND kind = 'event' ORDER BY seq`,
        [ticketId],
      )
      .then((rows) => rows.map((row) => row.payload));
  const text = (ticketId: string, direction: 'in' | 'out', clientId = uuid()) => ({
    ticketId,
    direction,
    authorId: ADA.agentId,
    clientId,
    body: `hello ${clientId.slice(0, 4)}`,
  });

  describe('a customer’s chat conversation', () => {
    it('is opened once, pending until they write', async () => {
      const customerId = await aCustomer();

      const first = await sut.transaction((manager) => sut.openConversation(manager, customerId));
      const again = await sut.transaction((manager) => sut.openConversation(manager, customerId));

      expect(first.created).toBe(true);
      expect(again).toEqual({ id: first.id, created: false });
      await expect(ticket(first.id)).resolves.toMatchObject({ status: 'pending' });
    });

    it('opens when the customer writes, recording the reopening only when it had been resolved', async () => {
      for (const [from, recorded] of [
        ['pending', []],
        ['resolved', [{ type: 'status_changed', from: 'resolved', to: 'open', reason: 'customer_message' }]],
        ['open', []],
      ] as const) {
        const conversationId = await aTicket(from, 'chat');
        const conversation = (await views.conversation(conversationId))!;

        await sut.transaction((manager) => sut.reopenForCustomer(manager, conversation));

        await expect(ticket(conversationId)).resolves.toMatchObject({ status: 'open' });
        await expect(events(conversationId)).resolves.toEqual(recorded);
      }
    });
  });

  describe('an agent changing a ticket', () => {
    it('records each change as an event, then tells the ticket’s room and every inbox', async () => {
      const ticketId = await aTicket('open');

      await sut.change(ADA, ticketId, { status: 'resolved', assignee: { id: ADA.agentId, name: 'Ada' } });

      await expect(ticket(ticketId)).resolves.toMatchObject({ status: 'resolved', assignee_id: ADA.agentId });
      const by = { byId: ADA.agentId, byName: 'Ada' };
      await expect(events(ticketId)).resolves.toEqual([
        { type: 'status_changed', from: 'open', to: 'resolved', ...by },
        { type: 'assigned', assigneeId: ADA.agentId, assigneeName: 'Ada', ...by },
      ]);
      expect(realtime.told).toEqual([
        { message: expect.objectContaining({ conversationId: ticketId, kind: 'event', seq: 1 }) },
        { message: expect.objectContaining({ conversationId: ticketId, kind: 'event', seq: 2 }) },
        { inbox: { ticketId, reason: 'status' } },
      ]);
    });

    it('records and tells nothing when nothing changes', async () => {
      const ticketId = await aTicket('open');

      await sut.change(ADA, ticketId, { status: 'open', assignee: null });

      await expect(events(ticketId)).resolves.toEqual([]);
      expect(realtime.told).toEqual([]);
    });

    it('refuses to reopen a ticket while the customer has another unresolved one on that channel', async () => {
      const customerId = await aCustomer();
      const resolved = await aTicket('resolved', 'sms', customerId);
      await aTicket('open', 'sms', customerId);

      await expect(sut.change(ADA, resolved, { status: 'open' })).rejects.toMatchObject({
        status: 409,
        code: 'ticket/another_open',
      });
      await expect(ticket(resolved)).resolves.toMatchObject({ status: 'resolved' });
      await expect(events(resolved)).resolves.toEqual([]);
    });

    it('names a ticket that does not exist', async () => {
      await expect(sut.change(ADA, '999999999', { status: 'open' })).rejects.toMatchObject({
        status: 404,
        code: 'ticket/not_found',
      });
    });
  });

  describe('read markers', () => {
    it('only ever move forward, never past the last message, and tell the other side', async () => {
      const ticketId = await aTicket('open', 'chat');
      for (let i = 0; i < 3; i++)
        await sut.transaction((manager) => sut.appendText(manager, text(ticketId, 'in')));

      await sut.markRead(ticketId, 'agent', 2);
      await sut.markRead(ticketId, 'agent', 1);
      await sut.markRead(ticketId, 'customer', 99);

      await expect(ticket(ticketId)).resolves.toMatchObject({
        agent_read_seq: 2,
        customer_read_seq: 3,
        last_seq: 3,
      });
      expect(realtime.told).toEqual([
        { read: { conversationId: ticketId, role: 'agent', seq: 2 } },
        { inbox: { ticketId, reason: 'message' } },
        { read: { conversationId: ticketId, role: 'customer', seq: 3 } },
      ]);
    });
  });

  describe('messages', () => {
    it('go into an open conversation in one statement, numbered in order; a resend is not stored twice', async () => {
      const conversationId = await aTicket('open', 'chat');
      const first = text(conversationId, 'in');

      const stored = await sut.appendToOpenConversation(first);
      const second = await sut.appendToOpenConversation(text(conversationId, 'in'));
      const resent = await sut.appendToOpenConversation(first);

      expect(stored).toMatchObject({ seq: 1, body: first.body, clientId: first.clientId, kind: 'text' });
      expect(stored!.author).toEqual({ role: 'customer', id: ADA.agentId, name: 'Ada' });
      expect(second).toMatchObject({ seq: 2 });
      expect(resent).toBeUndefined();
      await expect(ticket(conversationId)).resolves.toMatchObject({ last_seq: 2 });
    });

    it('take the general path into a conversation that is not open, unless an agent writes', async () => {
      const pending = await aTicket('pending', 'chat');

      await expect(sut.appendToOpenConversation(text(pending, 'in'))).resolves.toBeUndefined();
      await expect(sut.appendToOpenConversation(text(pending, 'out'))).resolves.toMatchObject({ seq: 1 });
      await expect(
        sut.appendToOpenConversation(text(await aTicket('open', 'sms'), 'in')),
      ).resolves.toBeUndefined();
    });

    it('sent at the same moment share one statement: each stored once, in order, the rest left to the general path', async () => {
      const [a, b, pending] = [
        await aTicket('open', 'chat'),
        await aTicket('open', 'chat'),
        await aTicket('pending', 'chat'),
      ];
      const resend = text(a, 'in');
      const sends = [
        text(a, 'in'),
        text(b, 'out'),
        resend,
        text(a, 'out'),
        { ...resend, body: 'the same client id again' },
        text(pending, 'in'),
        text(b, 'in'),
      ];
      // Called in one turn of the event loop, as sockets' messages parsed together are.
      const stored = await Promise.all(sends.map((send) => sut.appendToOpenConversation(send)));

      expect(stored.map((message) => message && [message.conversationId, message.seq, message.body])).toEqual(
        [
          [a, 1, sends[0]!.body],
          [b, 1, sends[1]!.body],
          [a, 2, resend.body],
          [a, 3, sends[3]!.body],
          undefined, // the resend, within the same batch
          undefined, // a customer writing into a pending conversation reopens it: the general path
          [b, 2, sends[6]!.body],
        ],
      );
      // One transaction stored them all.
      const transactions = await db.query(
        `SELECT DISTINCT xmin::text FROM messages WHERE ticket_id = ANY($1::bigint[])`,
        [[a, b]],
      );
      expect(transactions).toHaveLength(1);
      await expect(ticket(a)).resolves.toMatchObject({ last_seq: 3 });
      await expect(ticket(pending)).resolves.toMatchObject({ last_seq: 0, status: 'pending' });
      // The resend, taken alone afterwards, is found as one.
      await expect(sut.appendToOpenConversation(resend)).resolves.toBeUndefined();
    });

    it('sent with one into a conversation another transaction holds: stored without waiting for it', async () => {
      const [held, free] = [await aTicket('open', 'chat'), await aTicket('open', 'chat')];
      const holder = dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query(`SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE`, [held]);

        const toHeld = sut.appendToOpenConversation(text(held, 'in'));
        const toFree = sut.appendToOpenConversation(text(free, 'in'));

        // Stored while the other conversation is still locked: the batch gave up on it.
        await expect(toFree).resolves.toMatchObject({ conversationId: free, seq: 1 });
        // Still locked when tried alone: left to the general path, which waits for it by itself.
        await expect(toHeld).resolves.toBeUndefined();
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      await expect(ticket(held)).resolves.toMatchObject({ last_seq: 0 });
    });

    it('sent after the database dropped the chat connection: stored all the same', async () => {
      const conversationId = await aTicket('open', 'chat');
      await expect(sut.appendToOpenConversation(text(conversationId, 'in'))).resolves.toMatchObject({
        seq: 1,
      });
      const [dropped] = await db.query<{ dropped: boolean }>(
        `SELECT bool_or(pg_terminate_backend(pid)) AS dropped FROM pg_stat_activity
          WHERE application_name = 'switchboard-chat' AND datname = current_database()`,
      );
      expect(dropped).toEqual({ dropped: true });

      await expect(sut.appendToOpenConversation(text(conversationId, 'in'))).resolves.toMatchObject({
        seq: 2,
      });
      await expect(sut.appendToOpenConversation(text(conversationId, 'in'))).resolves.toMatchObject({
        seq: 3,
      });
    });

    it('keep one message per client id in a ticket', async () => {
      const ticketId = await aTicket('open', 'chat');
      const once = text(ticketId, 'out');

      const id = await sut.transaction((manager) => sut.appendText(manager, once));
      const twice = await sut.transaction((manager) => sut.appendText(manager, once));

      expect(id).toMatch(/^\d+$/);
      expect(twice).toBeUndefined();
      await expect(
        sut.transaction((manager) => sut.idByClientId(manager, ticketId, once.clientId)),
      ).resolves.toBe(id);
    });
  });

  describe(MessageDelivery.name, () => {
    const status = (id: string) =>
      db
        .query<{ status: string; error: string | null }>('SELECT status, error FROM messages WHERE id = $1', [
          id,
        ])
        .then((rows) => rows[0]!);
    const aQueuedReply = async () => {
      const ticketId = await aTicket('open');
      return (await sut.transaction((manager) =>
        sut.appendQueuedReply(manager, { ticketId, authorId: ADA.agentId, body: 'Hi', provider: 'sandbox' }),
      ))!;
    };

    it('moves a message forward only: a late receipt never undoes a later status', async () => {
      const id = await aQueuedReply();

      await dataSource.transaction((manager) =>
        delivery.markSubmitted(manager, id, 'vonage', [uuid(), uuid()]),
      );
      await dataSource.transaction((manager) => delivery.advance(manager, id, 'delivered'));
      await dataSource.transaction((manager) => delivery.advance(manager, id, 'sent'));

      await expect(status(id)).resolves.toEqual({ status: 'delivered', error: null });
    });

    it('keeps what a receipt said first when the send is recorded after it', async () => {
      const id = await aQueuedReply();

      await dataSource.transaction((manager) => delivery.advance(manager, id, 'failed', 'Absent subscriber'));
      await dataSource.transaction((manager) => delivery.markSubmitted(manager, id, 'vonage', [uuid()]));
      await delivery.markFinal(id, 'failed', 'too late');

      await expect(status(id)).resolves.toEqual({ status: 'failed', error: 'Absent subscriber' });
    });
  });
});

describe(ReplyChannels.name, () => {
  const sut = new ReplyChannels();
  const sms = { channel: 'sms', reply: () => Promise.reject(new Error('not in this test')) };

  it('finds the channel of a ticket, and refuses a channel nothing can reply on', () => {
    sut.register(sms);

    expect(sut.of({ id: '7', channel: 'sms' })).toBe(sms);
    expect(() => sut.of({ id: '8', channel: 'voice' })).toThrow(
      expect.objectContaining({ status: 409, code: 'ticket/wrong_channel' }),
    );
    expect(() => sut.register(sms)).toThrow('Reply channel sms registered twice');
  });
});
