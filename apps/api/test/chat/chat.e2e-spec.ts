import { randomUUID } from 'node:crypto';
import {
  CHAT_MESSAGE_MAX_LENGTH,
  ChatEvent,
  type ChatMessage,
  type ConversationView,
} from '@switchboard/contracts';
import { aCustomerWithAnOrder, anAgent, ChatClient, type Customer } from '../support/chat-clients';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Live order chat', () => {
  let sut: TestApp;
  let agent: { id: string; accessToken: string };
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    sut = await startTestApp();
    agent = await anAgent(sut);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await sut.close();
  });

  async function connect(token: string | undefined, app = sut): Promise<ChatClient> {
    const client = await ChatClient.connect(app.baseUrl, token);
    clients.push(client);
    return client;
  }

  const view = (customer: Pick<Customer, 'conversationId'>, token: string) =>
    fetch(`${sut.baseUrl}/api/chat/conversations/${customer.conversationId}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it('shows the customer their current order, order history and the order-confirm event', async () => {
    const customer = await aCustomerWithAnOrder(sut);

    const response = await view(customer, customer.accessToken);

    expect(response.status).toBe(200);
    const conversation = (await response.json()) as ConversationView;
    expect(conversation).toMatchObject({
      id: customer.conversationId,
      status: 'pending',
      customer: { name: 'Ada Lovelace' },
      orders: [
        {
          id: customer.orderId,
          currency: 'USD',
          total: 499,
          items: [{ name: 'Widget', quantity: 1, unitPrice: 499 }],
        },
      ],
      hasEarlier: false,
      read: { customer: 0, agent: 0 },
    });
    expect(conversation.messages).toEqual([
      expect.objectContaining({
        seq: 1,
        kind: 'event',
        author: { role: 'system', id: null, name: null },
        payload: expect.objectContaining({ type: 'order-confirm', orderId: customer.orderId, total: 499 }),
      }),
    ]);
  });

  it('includes the order the page is about even when the customer has many newer ones, and big totals', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    await sut.db.query(
      `INSERT INTO orders (customer_id, currency, total_minor)
       SELECT customer_id, 'USD', 9000000000000 FROM tickets, generate_series(1, 55) WHERE tickets.id = $1`,
      [customer.conversationId],
    );

    const plain = (await (await view(customer, customer.accessToken)).json()) as ConversationView;
    const linked = (await (
      await fetch(
        `${sut.baseUrl}/api/chat/conversations/${customer.conversationId}?orderId=${customer.orderId}`,
        {
          headers: { authorization: `Bearer ${customer.accessToken}` },
        },
      )
    ).json()) as ConversationView;

    expect(plain.orders).toHaveLength(50);
    expect(plain.orders[0]!.total).toBe(9000000000000);
    expect(plain.orders.map((order) => order.id)).not.toContain(customer.orderId);
    expect(linked.orders.map((order) => order.id)).toContain(customer.orderId);
  });

  it('delivers messages both ways, stored first, numbered, and acknowledged with their ids', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const customerSocket = await connect(customer.accessToken);
    const agentSocket = await connect(agent.accessToken);
    await customerSocket.join(customer.conversationId);
    await agentSocket.join(customer.conversationId);

    const sent = await customerSocket.send(customer.conversationId, 'Where is my widget?');
    expect(sent).toEqual({
      ok: true,
      data: {
        duplicate: false,
        message: expect.objectContaining({
          seq: 2,
          body: 'Where is my widget?',
          author: expect.objectContaining({ role: 'customer' }),
        }),
      },
    });
    await eventually(
      async () => agentSocket.received.find((m) => m.body === 'Where is my widget?'),
      'agent receives',
    );

    const reply = await agentSocket.send(customer.conversationId, 'It ships today.');
    expect(reply.ok).toBe(true);
    const received = await eventually(
      async () => customerSocket.received.find((m) => m.body === 'It ships today.'),
      'customer receives',
    );
    expect(received.author).toEqual({ role: 'agent', id: agent.id, name: 'Grace' });
    expect(received.seq).toBe(3);
    await expect(
      sut.db.query('SELECT status FROM tickets WHERE id = $1', [customer.conversationId]),
    ).resolves.toEqual([{ status: 'open' }]);
  });

  it("sends a message to the author's other tabs but not back to the socket it came over, which has it from the ack", async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const tab = await connect(customer.accessToken);
    const otherTab = await connect(customer.accessToken);
    const agentSocket = await connect(agent.accessToken);
    for (const socket of [tab, otherTab, agentSocket]) await socket.join(customer.conversationId);

    const sent = await tab.send(customer.conversationId, 'Is it shipped?');
    await eventually(
      async () => otherTab.received.find((m) => m.body === 'Is it shipped?'),
      'the other tab receives it',
    );
    await eventually(
      async () => agentSocket.received.find((m) => m.body === 'Is it shipped?'),
      'the agent receives it',
    );
    // Something the agent says after it reaches the first tab: had a copy been sent, it came first.
    await agentSocket.send(customer.conversationId, 'Yes, yesterday.');
    await eventually(async () => tab.received.find((m) => m.body === 'Yes, yesterday.'), 'the reply');

    expect(sent.ok && sent.data.message.body).toBe('Is it shipped?');
    expect(tab.received.map((m) => m.body)).toEqual(['Yes, yesterday.']);
  });

  it('never duplicates a message resent with the same client id', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const customerSocket = await connect(customer.accessToken);
    const agentSocket = await connect(agent.accessToken);
    await agentSocket.join(customer.conversationId);
    const clientId = randomUUID();

    const first = await customerSocket.send(customer.conversationId, 'Hello?', clientId);
    const again = await customerSocket.send(customer.conversationId, 'Hello?', clientId);

    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.data).toEqual({ message: first.data.message, duplicate: true });
    await eventually(async () => (agentSocket.received.length === 1 ? true : undefined), 'one broadcast');
    await expect(
      sut.db.query(`SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND kind = 'text'`, [
        customer.conversationId,
      ]),
    ).resolves.toEqual([{ n: 1 }]);
  });

  it('spends no seq on a resend: the next message follows the first without a gap', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const socket = await connect(customer.accessToken);
    const clientId = randomUUID();

    const first = await socket.send(customer.conversationId, 'Hello?', clientId);
    await socket.send(customer.conversationId, 'Hello?', clientId);
    const next = await socket.send(customer.conversationId, 'Anyone there?');

    expect(first.ok && next.ok).toBe(true);
    if (!first.ok || !next.ok) return;
    expect(next.data.message.seq).toBe(first.data.message.seq + 1);
    await expect(
      sut.db.query(`SELECT last_seq FROM tickets WHERE id = $1`, [customer.conversationId]),
    ).resolves.toEqual([{ last_seq: next.data.message.seq }]);
  });

  it("opens a conversation with the customer's first message, and reopens a resolved one, saying so", async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const customerSocket = await connect(customer.accessToken);
    const agentSocket = await connect(agent.accessToken);
    const status = async () =>
      (
        await sut.db.query<{ status: string }>(`SELECT status FROM tickets WHERE id = $1`, [
          customer.conversationId,
        ])
      )[0]!.status;
    const statusEvents = () =>
      sut.db.query(`SELECT payload FROM messages WHERE ticket_id = $1 AND kind = 'event' ORDER BY seq`, [
        customer.conversationId,
      ]);
    expect(await status()).toBe('pending');

    await customerSocket.send(customer.conversationId, 'Hello?');
    expect(await status()).toBe('open');
    const before = (await statusEvents()).length;

    const resolved = await fetch(`${sut.baseUrl}/api/tickets/${customer.conversationId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${agent.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'resolved' }),
    });
    expect(resolved.status).toBe(200);
    await agentSocket.send(customer.conversationId, 'Anything else?');
    expect(await status()).toBe('resolved');

    await customerSocket.join(customer.conversationId);
    const again = await customerSocket.send(customer.conversationId, 'Yes, one more thing');

    expect(again.ok).toBe(true);
    expect(await status()).toBe('open');
    expect((await statusEvents()).slice(before + 1)).toEqual([
      {
        payload: { type: 'status_changed', from: 'resolved', to: 'open', reason: 'customer_message' },
      },
    ]);
    await eventually(
      async () =>
        customerSocket.received.some((message) => message.kind === 'event' && message.seq > 0)
          ? true
          : undefined,
      'the reopening reaches the customer',
    );
  });

  it('keeps a message holding a NUL character, which PostgreSQL cannot store, with U+FFFD in its place', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const socket = await connect(customer.accessToken);

    const sent = await socket.send(customer.conversationId, 'order\u0000 42');

    expect(sent).toMatchObject({ ok: true, data: { message: { body: 'order\uFFFD 42' } } });
  });

  it('catches a reconnecting client up on everything after the last seq it saw', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const first = await connect(customer.accessToken);
    const joined = await first.join(customer.conversationId);
    const lastSeen = joined.ok ? joined.data.messages.at(-1)!.seq : -1;
    first.close();
    const agentSocket = await connect(agent.accessToken);
    await agentSocket.send(customer.conversationId, 'Are you there?');
    await agentSocket.send(customer.conversationId, 'Your refund is on its way.');

    const second = await connect(customer.accessToken);
    const caughtUp = await second.join(customer.conversationId, lastSeen);

    expect(caughtUp.ok && caughtUp.data.messages.map((m: ChatMessage) => m.body)).toEqual([
      'Are you there?',
      'Your refund is on its way.',
    ]);
  });

  it('shows typing and read receipts to the other side', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const customerSocket = await connect(customer.accessToken);
    const agentSocket = await connect(agent.accessToken);
    await customerSocket.join(customer.conversationId);
    await agentSocket.join(customer.conversationId);

    await customerSocket.request(ChatEvent.Typing, { conversationId: customer.conversationId, typing: true });
    // The console sends typing without asking for an acknowledgement (a volatile emit), as the chat page does.
    agentSocket.socket.emit(ChatEvent.Typing, { conversationId: customer.conversationId, typing: true });
    const sent = await customerSocket.send(customer.conversationId, 'Hi');
    const seq = sent.ok ? sent.data.message.seq : 0;
    await agentSocket.request(ChatEvent.Read, { conversationId: customer.conversationId, seq });

    await eventually(
      async () => agentSocket.events.find((e) => e.event === ChatEvent.TypingChanged),
      'agent sees the customer typing',
    );
    expect(agentSocket.events.find((e) => e.event === ChatEvent.TypingChanged)!.payload).toEqual({
      conversationId: customer.conversationId,
      role: 'customer',
      name: null,
      typing: true,
    });
    await eventually(
      async () => customerSocket.events.find((e) => e.event === ChatEvent.TypingChanged),
      'customer sees the agent typing',
    );
    const read = await eventually(
      async () => customerSocket.events.find((e) => e.event === ChatEvent.ReadChanged),
      'customer sees the read receipt',
    );
    expect(read.payload).toEqual({ conversationId: customer.conversationId, role: 'agent', seq });
  });

  it('refuses an empty or overlong message and a flood, with clear errors', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const socket = await connect(customer.accessToken);

    const empty = await socket.send(customer.conversationId, '   ');
    const long = await socket.send(customer.conversationId, 'x'.repeat(CHAT_MESSAGE_MAX_LENGTH + 1));
    const flood = [];
    for (let i = 0; i < 12; i++) flood.push(await socket.send(customer.conversationId, `message ${i}`));

    expect(empty).toMatchObject({ ok: false, error: { code: 'request/validation_failed' } });
    expect(long).toMatchObject({ ok: false, error: { code: 'chat/message_too_long' } });
    expect(flood.filter((ack) => !ack.ok)[0]).toMatchObject({
      ok: false,
      error: { code: 'chat/rate_limited', message: expect.stringMatching(/^Too many messages: wait \d+ s/) },
    });
  });

  describe("a customer cannot reach another customer's conversation", () => {
    it('over the socket', async () => {
      const alice = await aCustomerWithAnOrder(sut, 'Alice');
      const bob = await aCustomerWithAnOrder(sut, 'Bob');
      const bobSocket = await connect(bob.accessToken);

      const joined = await bobSocket.join(alice.conversationId);
      const sent = await bobSocket.send(alice.conversationId, 'I am Alice now');
      const typing = await bobSocket.request(ChatEvent.Typing, {
        conversationId: alice.conversationId,
        typing: true,
      });

      expect([joined, sent, typing]).toEqual(
        Array(3).fill({
          ok: false,
          error: { code: 'auth/forbidden', message: 'This is not your conversation' },
        }),
      );
      await expect(
        sut.db.query(`SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND kind = 'text'`, [
          alice.conversationId,
        ]),
      ).resolves.toEqual([{ n: 0 }]);
    });

    it('over REST', async () => {
      const alice = await aCustomerWithAnOrder(sut, 'Alice');
      const bob = await aCustomerWithAnOrder(sut, 'Bob');

      const read = await view(alice, bob.accessToken);
      const post = await fetch(`${sut.baseUrl}/api/chat/conversations/${alice.conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: randomUUID(), body: 'hi' }),
      });
      const anonymous = await fetch(`${sut.baseUrl}/api/chat/conversations/${alice.conversationId}`);

      expect([read.status, post.status, anonymous.status]).toEqual([403, 403, 401]);
    });

    it('with no token or a link token in place of a session', async () => {
      const alice = await aCustomerWithAnOrder(sut, 'Alice');
      const linkToken = new URL(alice.chatUrl).searchParams.get('token')!;

      await expect(connect(undefined)).rejects.toThrow('unauthorized');
      await expect(connect(linkToken)).rejects.toThrow('unauthorized');
    });
  });

  it('fans out across two instances on one database: customer on one, agent on the other', async () => {
    const second = await startTestApp({ db: sut.db });
    try {
      const customer = await aCustomerWithAnOrder(sut);
      const customerSocket = await connect(customer.accessToken, sut);
      const agentSocket = await connect(agent.accessToken, second);
      await customerSocket.join(customer.conversationId);
      await agentSocket.join(customer.conversationId);

      await customerSocket.send(customer.conversationId, 'Hello from instance one');
      await agentSocket.send(customer.conversationId, 'Hello from instance two');

      await eventually(
        async () => agentSocket.received.find((m) => m.body === 'Hello from instance one'),
        'agent on two',
      );
      await eventually(
        async () => customerSocket.received.find((m) => m.body === 'Hello from instance two'),
        'customer on one',
      );
    } finally {
      for (const client of clients.splice(0)) client.close();
      await second.close();
    }
  });
});
