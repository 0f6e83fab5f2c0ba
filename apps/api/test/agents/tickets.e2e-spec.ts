import { type InboxCounts, InboxEvent, type TicketDetail, type TicketPage } from '@switchboard/contracts';
import { aCustomerWithAnOrder, anAgent, ChatClient } from '../support/chat-clients';
import { eventually } from '../support/eventually';
import { aPhoneNumber, deliver, inboundSms } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Tickets API for the agent console', () => {
  let sut: TestApp;
  let agent: { id: string; accessToken: string };
  let other: { id: string; accessToken: string };
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    sut = await startTestApp();
    agent = await anAgent(sut, 'Grace');
    other = await anAgent(sut, 'Linus');
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await sut.close();
  });

  const call = (method: string, path: string, body?: unknown, token = agent.accessToken) =>
    fetch(`${sut.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;

  async function smsTicket(
    text = 'My order never came',
    phone = aPhoneNumber(),
  ): Promise<{ id: string; phone: string }> {
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text }));
    const [row] = await sut.db.query<{ id: string }>(
      `SELECT t.id::text FROM tickets t JOIN users u ON u.id = t.customer_id WHERE u.phone = $1 ORDER BY t.id DESC LIMIT 1`,
      [`+${phone}`],
    );
    return { id: row!.id, phone };
  }

  it('lets only agents in: no token → 401, a customer token → 403, on every route', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const { id } = await smsTicket();
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/tickets'],
      ['GET', `/api/tickets/${id}`],
      ['POST', `/api/tickets/${id}/messages`, { body: 'hi' }],
      ['PATCH', `/api/tickets/${id}`, { status: 'resolved' }],
      ['POST', `/api/tickets/${id}/read`, { seq: 1 }],
      ['POST', `/api/tickets/${id}/messages/1/resend`],
      ['GET', '/api/agents'],
    ];

    for (const [method, path, body] of routes) {
      const anonymous = await fetch(`${sut.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const asCustomer = await call(method, path, body, customer.accessToken);
      expect([`${method} ${path}`, anonymous.status, asCustomer.status]).toEqual([
        `${method} ${path}`,
        401,
        403,
      ]);
    }
    await expect(sut.db.query(`SELECT status FROM tickets WHERE id = $1`, [id])).resolves.toEqual([
      { status: 'open' },
    ]);
  });

  it('lists tickets newest activity first with the last message and unread count, and filters them', async () => {
    const older = await smsTicket('First problem');
    const newer = await smsTicket('Second problem, about a parcel');
    const chat = await aCustomerWithAnOrder(sut, 'Chatty Cathy');

    const all = await json<TicketPage>(call('GET', '/api/tickets?pageSize=100'));
    const ids = all.items.map((ticket) => ticket.id);
    expect(ids.indexOf(chat.conversationId)).toBeLessThan(ids.indexOf(newer.id));
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    expect(all.items.find((ticket) => ticket.id === newer.id)).toMatchObject({
      channel: 'sms',
      status: 'open',
      customer: { phone: `+${newer.phone}`, smsOptedOutAt: null },
      assignee: null,
      lastMessage: { direction: 'out', body: expect.stringContaining('Your ticket number is') },
      unread: 1,
    });

    const sms = await json<TicketPage>(call('GET', '/api/tickets?channel=sms&status=open&pageSize=100'));
    expect(sms.items.every((ticket) => ticket.channel === 'sms' && ticket.status === 'open')).toBe(true);
    const byText = await json<TicketPage>(
      call('GET', `/api/tickets?q=${encodeURIComponent('about a parcel')}`),
    );
    expect(byText.items.map((ticket) => ticket.id)).toEqual([newer.id]);
    const byPhone = await json<TicketPage>(call('GET', `/api/tickets?q=${older.phone.slice(-6)}`));
    expect(byPhone.items.map((ticket) => ticket.id)).toContain(older.id);
    const paged = await json<TicketPage>(call('GET', '/api/tickets?pageSize=1&page=2'));
    expect(paged).toMatchObject({
      page: 2,
      pageSize: 1,
      total: all.total,
      items: [{ id: all.items[1]!.id }],
    });
    const bad = await call('GET', '/api/tickets?status=closed&page=0');
    expect(bad.status).toBe(400);

    // The console pages by cursor: the next page starts after the last ticket shown.
    const first = await json<TicketPage>(call('GET', '/api/tickets?pageSize=2'));
    expect(first).toMatchObject({ total: all.total, totalExact: true, nextCursor: expect.any(String) });
    const second = await json<TicketPage>(
      call('GET', `/api/tickets?pageSize=2&cursor=${encodeURIComponent(first.nextCursor!)}`),
    );
    expect([...first.items, ...second.items].map((ticket) => ticket.id)).toEqual(ids.slice(0, 4));
    const forged = await call('GET', '/api/tickets?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ errors: [{ field: 'cursor' }] });
    const both = await call('GET', `/api/tickets?page=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(await both.json()).toMatchObject({ statusCode: 400, errors: [{ field: 'page' }] });

    // One ticket, if it matches the filters: how the console places a ticket that changed.
    const one = await json<TicketPage>(call('GET', `/api/tickets?status=open&ticket=${older.id}`));
    expect(one.items.map((ticket) => ticket.id)).toEqual([older.id]);
    const none = await json<TicketPage>(call('GET', `/api/tickets?status=resolved&ticket=${older.id}`));
    expect(none.items).toEqual([]);

    const counts = await json<InboxCounts>(call('GET', '/api/tickets/counts'));
    expect(counts.unresolved).toEqual({
      count: all.items.filter((t) => t.status !== 'resolved').length,
      exact: true,
    });
    expect(counts.unread.count).toBeGreaterThanOrEqual(2);
  });

  it('shows a chat ticket with its order context and thread', async () => {
    const customer = await aCustomerWithAnOrder(sut, 'Ada');

    const ticket = await json<TicketDetail>(call('GET', `/api/tickets/${customer.conversationId}`));

    expect(ticket).toMatchObject({
      id: customer.conversationId,
      channel: 'chat',
      status: 'pending',
      currentOrderId: customer.orderId,
      orders: [{ id: customer.orderId, total: 499 }],
      thread: [{ kind: 'event', payload: expect.objectContaining({ type: 'order-confirm' }) }],
    });
    expect((await call('GET', '/api/tickets/999999999')).status).toBe(404);
  });

  it('replies by SMS: queued at once, then delivered, and refuses an opted-out customer', async () => {
    const { id, phone } = await smsTicket();

    const reply = await call('POST', `/api/tickets/${id}/messages`, { body: 'We are on it.' });

    expect(reply.status).toBe(201);
    const entry = (await reply.json()) as { id: string; status: string; author: unknown };
    expect(entry).toMatchObject({
      status: 'queued',
      direction: 'out',
      author: { role: 'agent', id: agent.id, name: 'Grace' },
    });
    await eventually(async () => {
      const ticket = await json<TicketDetail>(call('GET', `/api/tickets/${id}`));
      return ticket.thread.find((m) => m.id === entry.id)?.status === 'delivered' ? true : undefined;
    }, 'the reply delivered');

    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'STOP' }));
    const refused = await call('POST', `/api/tickets/${id}/messages`, { body: 'Still there?' });
    expect(refused.status).toBe(409);
    await expect(refused.json()).resolves.toMatchObject({ code: 'sms/recipient_opted_out' });
    const ticket = await json<TicketDetail>(call('GET', `/api/tickets/${id}`));
    expect(ticket.customer.smsOptedOutAt).not.toBeNull();
  });

  it('sends an SMS reply retried with the same client id once', async () => {
    const { id } = await smsTicket();
    const clientId = '7d6f3c2a-1b4e-4c8d-9f0a-2b3c4d5e6f70';

    const first = await json<{ id: string }>(
      call('POST', `/api/tickets/${id}/messages`, { body: 'Once', clientId }),
    );
    const again = await json<{ id: string }>(
      call('POST', `/api/tickets/${id}/messages`, { body: 'Once', clientId }),
    );

    expect(again.id).toBe(first.id);
    await expect(
      sut.db.query(`SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND body = 'Once'`, [id]),
    ).resolves.toEqual([{ n: 1 }]);
  });

  it('resends a failed SMS as a new one', async () => {
    const { id } = await smsTicket(
      'Help',
      `44770090${String(Math.floor(Math.random() * 10)).padStart(1, '0')}0666`,
    );
    const failed = await eventually(async () => {
      const ticket = await json<TicketDetail>(call('GET', `/api/tickets/${id}`));
      return ticket.thread.find((m) => m.direction === 'out' && m.status === 'failed');
    }, 'the confirmation failed');

    const resent = await call('POST', `/api/tickets/${id}/messages/${failed.id}/resend`);

    expect(resent.status).toBe(201);
    await expect(resent.json()).resolves.toMatchObject({ body: failed.body, status: 'queued' });
    expect((await call('POST', `/api/tickets/${id}/messages/${failed.id}9/resend`)).status).toBe(404);
  });

  it('replies in a chat, reaching the customer live', async () => {
    const customer = await aCustomerWithAnOrder(sut);
    const socket = await ChatClient.connect(sut.baseUrl, customer.accessToken);
    clients.push(socket);
    await socket.join(customer.conversationId);

    const reply = await call('POST', `/api/tickets/${customer.conversationId}/messages`, {
      body: 'Hello from the console',
    });

    expect(reply.status).toBe(201);
    await eventually(
      async () => socket.received.find((m) => m.body === 'Hello from the console'),
      'the customer sees it',
    );
  });

  it('resolves, reopens and assigns, recording each change in the thread', async () => {
    const { id } = await smsTicket();

    await call('PATCH', `/api/tickets/${id}`, { status: 'resolved' });
    await call('PATCH', `/api/tickets/${id}`, { assigneeId: other.id });
    const reopened = await json<TicketDetail>(
      call('PATCH', `/api/tickets/${id}`, { status: 'open', assigneeId: null }),
    );
    const badAgent = await call('PATCH', `/api/tickets/${id}`, { assigneeId: '999999' });

    expect(reopened).toMatchObject({ status: 'open', assignee: null });
    expect(reopened.thread.filter((m) => m.kind === 'event').map((m) => m.payload)).toEqual([
      expect.objectContaining({ type: 'status_changed', from: 'open', to: 'resolved', byName: 'Grace' }),
      expect.objectContaining({ type: 'assigned', assigneeId: other.id, assigneeName: 'Linus' }),
      expect.objectContaining({ type: 'status_changed', from: 'resolved', to: 'open' }),
      expect.objectContaining({ type: 'assigned', assigneeId: null }),
    ]);
    expect(badAgent.status).toBe(400);
    const mine = await json<TicketPage>(call('GET', '/api/tickets?assignee=none&pageSize=100'));
    expect(mine.items.map((ticket) => ticket.id)).toContain(id);
  });

  it('refuses to reopen an SMS ticket while the customer has another open one', async () => {
    const { id, phone } = await smsTicket();
    await sut.db.query(
      `UPDATE tickets SET status = 'resolved', resolved_at = now() - interval '30 days' WHERE id = $1`,
      [id],
    );
    await smsTicket('A new problem', phone);

    const response = await call('PATCH', `/api/tickets/${id}`, { status: 'open' });

    expect(response.status).toBe(409);
    await expect(response.json()).resolves.toMatchObject({ code: 'ticket/another_open' });
  });

  it('clears the unread count when an agent reads, and pushes inbox changes to agents live', async () => {
    const inbox = await ChatClient.connect(sut.baseUrl, agent.accessToken);
    // A socket that serves conversations only asked for no inbox.
    const replies = await ChatClient.connect(sut.baseUrl, agent.accessToken, { inbox: false });
    clients.push(inbox, replies);
    const { id } = await smsTicket();

    await eventually(
      async () =>
        inbox.events.find(
          (e) =>
            e.event === InboxEvent.Changed &&
            (e.payload as { ticketId: string }[]).some((c) => c.ticketId === id),
        ),
      'the inbox hears about the new ticket',
    );
    expect(replies.events.filter((e) => e.event === InboxEvent.Changed)).toEqual([]);
    const ticket = await json<TicketDetail>(call('GET', `/api/tickets/${id}`));
    const read = await call('POST', `/api/tickets/${id}/read`, { seq: ticket.thread.at(-1)!.seq });

    expect(read.status).toBe(204);
    const after = await json<TicketPage>(call('GET', `/api/tickets?q=%23${id}`));
    expect(after.items.find((item) => item.id === id)?.unread).toBe(0);
  });
});
