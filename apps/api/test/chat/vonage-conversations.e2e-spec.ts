import { randomUUID } from 'node:crypto';
import { CHAT_MESSAGE_MAX_LENGTH, type ChatSessionResponse } from '@switchboard/contracts';
import { ChatLinks } from '../../src/auth/chat-links';
import type { PostEventJob } from '../../src/vonage-conversations/vonage-chat-provider';
import { VonageSyncWorker } from '../../src/vonage-conversations/vonage-sync.worker';
import type { Job } from '../../src/jobs/job-queue';
import { anAgent } from '../support/chat-clients';
import { eventually } from '../support/eventually';
import { aUsername, integrationApi } from '../support/integration-api';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  startVonageConversationsEmulator,
  type VonageConversationsEmulator,
} from '../support/vonage-conversations-emulator';

const RTC_TOKEN = 'rtc-token-0123456789abcdef';

interface TicketVonage {
  vonage_conversation_id: string | null;
  vonage_member_id: string | null;
  vonage_desk_member_id: string | null;
  vonage_user_id: string | null;
}

interface ThreadRow {
  id: string;
  direction: string;
  kind: string;
  body: string;
  payload: Record<string, unknown>;
  provider: string | null;
  provider_message_id: string | null;
  author_id: string | null;
}

/**
 * Vonage Conversations mode, the whole way: the real app on its own PostgreSQL, the real Vonage SDK
 * against a local emulator of the Conversation API that delivers RTC webhooks back to the app.
 */
describe('Vonage Conversations as the chat provider', () => {
  let emulator: VonageConversationsEmulator;
  let sut: TestApp;

  beforeAll(async () => {
    emulator = await startVonageConversationsEmulator();
    sut = await startTestApp({
      env: {
        VONAGE_APPLICATION_ID: emulator.applicationId,
        VONAGE_PRIVATE_KEY: emulator.privateKey.replace(/\n/g, '\\n'),
        VONAGE_API_HOST: emulator.url,
        VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN,
        VONAGE_USER_PREFIX: 'shop-e2e',
      },
    });
    emulator.setEventUrl(`${sut.baseUrl}/webhooks/rtc/${RTC_TOKEN}`);
  });

  afterAll(async () => {
    await sut?.close();
    await emulator?.close();
  });

  async function aCustomer(name = 'Ada Lovelace') {
    const username = aUsername();
    const response = await integrationApi(sut).post('/api/users', {
      username,
      name,
      email: `${username}@example.com`,
    });
    expect(response.status).toBe(201);
    const { id, conversationId } = (await response.json()) as { id: string; conversationId: string };
    return { id, username, conversationId };
  }

  function vonageIds(conversationId: string): Promise<TicketVonage | undefined> {
    return sut.db
      .query<TicketVonage>(
        `SELECT v.conversation_id AS vonage_conversation_id, v.member_id AS vonage_member_id,
                v.desk_member_id AS vonage_desk_member_id, vu.user_id AS vonage_user_id
           FROM tickets t LEFT JOIN vonage_conversations v ON v.ticket_id = t.id
           LEFT JOIN vonage_users vu ON vu.customer_id = t.customer_id
          WHERE t.id = $1`,
        [conversationId],
      )
      .then(([row]) => row);
  }

  function provisioned(conversationId: string) {
    return eventually(async () => {
      const row = await vonageIds(conversationId);
      return row && Object.values(row).every(Boolean)
        ? (row as { [K in keyof TicketVonage]: string })
        : undefined;
    }, `conversation ${conversationId} provisioned at Vonage`);
  }

  function thread(conversationId: string): Promise<ThreadRow[]> {
    return sut.db.query<ThreadRow>(
      `SELECT id::text, direction, kind, body, payload, provider, provider_message_id, author_id::text
         FROM messages WHERE ticket_id = $1 ORDER BY seq`,
      [conversationId],
    );
  }

  async function placeOrder(username: string) {
    const response = await integrationApi(sut).post('/api/orders', {
      username,
      items: [{ name: 'Widget', quantity: 2, unitPrice: 4.99 }],
      currency: 'EUR',
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; chatUrl: string };
  }

  function openChat(conversationId: string, chatUrl: string) {
    return fetch(`${sut.baseUrl}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, token: new URL(chatUrl).searchParams.get('token') }),
    });
  }

  /** The chat link an order email would carry (no order needed to open the chat). */
  function chatUrl(customer: { id: string; conversationId: string }): string {
    return sut.app.get(ChatLinks).url(customer.id, customer.conversationId, '1', 0);
  }

  function rtcWebhook(body: unknown, token = RTC_TOKEN) {
    return fetch(`${sut.baseUrl}/webhooks/rtc/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('creates the customer’s Vonage user and conversation, with the customer and the desk joined', async () => {
    const customer = await aCustomer('Grace Hopper');

    const ids = await provisioned(customer.conversationId);

    const user = emulator.users.get(ids.vonage_user_id);
    expect(user).toMatchObject({ name: `shop-e2e-customer-${customer.id}`, display_name: 'Grace Hopper' });
    const conversation = emulator.conversations.get(ids.vonage_conversation_id)!;
    expect(conversation.properties).toEqual({
      custom_data: { switchboard_conversation_id: customer.conversationId },
    });
    expect(conversation.members.get(ids.vonage_member_id)).toBe(ids.vonage_user_id);
    const desk = emulator.users.get(conversation.members.get(ids.vonage_desk_member_id)!);
    expect(desk?.name).toBe('shop-e2e-desk');
  });

  it('posts an order’s confirmation as custom:order-confirm-event from the desk, once, and records its id', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);

    const order = await placeOrder(customer.username);

    const posted = await eventually(async () => {
      const [event] = (await thread(customer.conversationId)).filter((row) => row.kind === 'event');
      return event?.provider_message_id ? event : undefined;
    }, 'the order confirmation posted to Vonage');
    const events = emulator.conversations.get(ids.vonage_conversation_id)!.events;
    expect(events).toEqual([
      {
        id: 1,
        type: 'custom:order-confirm-event',
        from: ids.vonage_desk_member_id,
        timestamp: expect.any(String),
        body: {
          order_id: order.id,
          items: [{ name: 'Widget', quantity: 2, unit_price: 499 }],
          total: 998,
          currency: 'EUR',
          text: '2 × Widget (€4.99) — total €9.98',
        },
      },
    ]);
    expect(posted).toMatchObject({
      provider: 'vonage-conversations',
      provider_message_id: `${ids.vonage_conversation_id}:1`,
    });
    // Vonage also tells the RTC webhook about it: that copy is ours already and is not stored again.
    await emulator.delivered();
    expect(await thread(customer.conversationId)).toHaveLength(1);
  });

  it('opens the chat in Vonage mode: a Client SDK token for the customer’s user and conversation', async () => {
    const customer = await aCustomer();
    const order = await placeOrder(customer.username);
    const ids = await provisioned(customer.conversationId);

    const response = await openChat(customer.conversationId, order.chatUrl);

    expect(response.status).toBe(200);
    const session = (await response.json()) as ChatSessionResponse;
    expect(session).toMatchObject({
      conversationId: customer.conversationId,
      transport: 'vonage',
      vonage: {
        conversationId: ids.vonage_conversation_id,
        userId: ids.vonage_user_id,
        expiresIn: 900,
        token: expect.any(String),
      },
    });
    const claims = JSON.parse(Buffer.from(session.vonage!.token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      exp: number;
      iat: number;
      application_id: string;
      acl: { paths: Record<string, unknown> };
    };
    expect(claims).toMatchObject({
      sub: `shop-e2e-customer-${customer.id}`,
      application_id: emulator.applicationId,
    });
    expect(claims.exp - claims.iat).toBe(900);
    expect(claims.acl.paths).toMatchObject({
      [`/*/conversations/${ids.vonage_conversation_id}/events`]: { methods: ['GET', 'POST'] },
    });
  });

  /** Waits until Vonage refused the provisioning job's first try: its retry is 5 s or more away. */
  function jobRefused(): Promise<true> {
    return eventually(
      async () =>
        emulator.calls.some((call) => call.path === '/v1/users' && call.response?.status === 503) ||
        undefined,
      'the provisioning job refused by Vonage',
    );
  }

  it('provisions on demand when the chat opens before the job could (Vonage refused it at first)', async () => {
    emulator.reset();
    emulator.failNext(/^POST \/v1\/users$/, { status: 503 });
    const customer = await aCustomer();
    await jobRefused();
    expect(await vonageIds(customer.conversationId)).toMatchObject({ vonage_conversation_id: null });

    const response = await openChat(customer.conversationId, chatUrl(customer));

    expect(response.status).toBe(200);
    const session = (await response.json()) as ChatSessionResponse;
    expect(session.transport).toBe('vonage');
    expect(await vonageIds(customer.conversationId)).toMatchObject({
      vonage_conversation_id: session.vonage!.conversationId,
      vonage_user_id: session.vonage!.userId,
    });
  });

  it('answers 503 chat/provider_unavailable while Vonage cannot be reached, naming nothing secret', async () => {
    emulator.reset();
    emulator.failNext(/^POST \/v1\/users$/, { status: 503 }, { status: 503 });
    const customer = await aCustomer();
    await jobRefused();

    const response = await openChat(customer.conversationId, chatUrl(customer));

    expect(response.status).toBe(503);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      statusCode: 503,
      code: 'chat/provider_unavailable',
      message: 'The chat service is not reachable right now: try again in a minute',
    });
    expect(body).not.toContain('BEGIN');
    expect(body).not.toContain(RTC_TOKEN);
    // Vonage is back: the job's retry, or the next visit, provisions it.
    await expect(openChat(customer.conversationId, chatUrl(customer))).resolves.toMatchObject({
      status: 200,
    });
  });

  it('opens more chat pages at once than the pool has connections, on one conversation not provisioned yet', async () => {
    emulator.reset();
    emulator.failNext(/^POST \/v1\/users$/, { status: 503 });
    const customer = await aCustomer();
    await jobRefused();

    // 25 tabs against a pool of 20: nobody may hold a connection while waiting for another caller.
    const sessions = await Promise.all(
      Array.from({ length: 25 }, async () => {
        const response = await openChat(customer.conversationId, chatUrl(customer));
        return { status: response.status, body: (await response.json()) as ChatSessionResponse };
      }),
    );

    expect(sessions.map(({ status }) => status)).toEqual(Array(25).fill(200));
    const ids = await vonageIds(customer.conversationId);
    expect(new Set(sessions.map(({ body }) => body.vonage?.conversationId))).toEqual(
      new Set([ids!.vonage_conversation_id]),
    );
    const created = emulator.calls.filter(
      (call) => call.method === 'POST' && call.path === '/v1/conversations' && call.response?.status === 201,
    );
    expect(created).toHaveLength(1);
  });

  it('stores what the customer writes in Vonage in our conversation, once, for the agents', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);

    const event = await emulator.post(ids.vonage_conversation_id, {
      type: 'message',
      from: ids.vonage_member_id,
      body: { message_type: 'text', text: 'Where is my parcel?' },
    });
    await emulator.delivered();

    const rows = await thread(customer.conversationId);
    expect(rows).toEqual([
      expect.objectContaining({
        direction: 'in',
        kind: 'text',
        body: 'Where is my parcel?',
        author_id: customer.id,
        provider: 'vonage-conversations',
        provider_message_id: `${ids.vonage_conversation_id}:${event.id}`,
      }),
    ]);
    const [ticket] = await sut.db.query<{ status: string }>(`SELECT status FROM tickets WHERE id = $1`, [
      customer.conversationId,
    ]);
    expect(ticket?.status).toBe('open');

    // Vonage retries a delivery it thinks failed: nothing changes.
    const retried = await rtcWebhook({
      ...event,
      conversation_id: ids.vonage_conversation_id,
      _embedded: { from_user: { id: ids.vonage_user_id } },
    });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('x-frame-options')).toBeNull(); // server to server: no browser headers
    await expect(retried.json()).resolves.toEqual({ outcome: 'duplicate' });
    expect(await thread(customer.conversationId)).toHaveLength(1);
  });

  it('stores a custom event the customer posts, and ignores types it does not mirror', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);
    const base = { conversation_id: ids.vonage_conversation_id, from: ids.vonage_member_id };

    const custom = await rtcWebhook({ ...base, id: 7, type: 'custom:rating', body: { stars: 5 } });
    const typing = await rtcWebhook({ ...base, id: 8, type: 'text:typing:on', body: {} });
    const image = await rtcWebhook({
      ...base,
      id: 9,
      type: 'message',
      body: { message_type: 'image', image: { url: 'https://example.com/x.png' } },
    });

    await expect(custom.json()).resolves.toEqual({ outcome: 'stored' });
    await expect(typing.json()).resolves.toEqual({ outcome: 'ignored', reason: 'event type text:typing:on' });
    await expect(image.json()).resolves.toEqual({ outcome: 'ignored', reason: 'message of type image' });
    expect(await thread(customer.conversationId)).toEqual([
      expect.objectContaining({
        kind: 'event',
        body: 'The customer sent “rating”: {"stars":5}',
        payload: { type: 'vonage-custom', name: 'rating', body: { stars: 5 } },
        provider_message_id: `${ids.vonage_conversation_id}:7`,
      }),
    ]);
  });

  it('stores NUL characters as U+FFFD and cuts a text longer than a chat message, instead of failing', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);
    const base = { conversation_id: ids.vonage_conversation_id, from: ids.vonage_member_id };

    const nul = await rtcWebhook({ ...base, id: 11, type: 'text', body: { text: 'a\u0000b' } });
    const custom = await rtcWebhook({
      ...base,
      id: 12,
      type: 'custom:note',
      body: { 'k\u0000': ['v\u0000'] },
    });
    const long = await rtcWebhook({
      ...base,
      id: 13,
      type: 'text',
      body: { text: 'x'.repeat(CHAT_MESSAGE_MAX_LENGTH + 500) },
    });

    expect([nul.status, custom.status, long.status]).toEqual([200, 200, 200]);
    const rows = await thread(customer.conversationId);
    expect(rows.map((row) => row.body)).toEqual([
      'a\uFFFDb',
      'The customer sent “note”: {"k\uFFFD":["v\uFFFD"]}',
      `${'x'.repeat(CHAT_MESSAGE_MAX_LENGTH - 1)}…`,
    ]);
    expect(rows[1]?.payload).toEqual({
      type: 'vonage-custom',
      name: 'note',
      body: { 'k\uFFFD': ['v\uFFFD'] },
    });
  });

  it('ignores events of conversations and members that are not ours', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);
    const text = { type: 'text', id: 3, body: { text: 'hi' } };

    const foreignConversation = await rtcWebhook({ ...text, conversation_id: 'CON-else', from: 'MEM-x' });
    const stranger = await rtcWebhook({
      ...text,
      conversation_id: ids.vonage_conversation_id,
      from: 'MEM-x',
    });

    await expect(foreignConversation.json()).resolves.toEqual({
      outcome: 'ignored',
      reason: 'not a conversation of ours',
    });
    await expect(stranger.json()).resolves.toEqual({
      outcome: 'ignored',
      reason: 'not posted by the customer',
    });
    expect(await thread(customer.conversationId)).toHaveLength(0);
  });

  it.each([
    [{ id: 1, conversation_id: 'CON-1', from: 'MEM-1', body: {} }, 'type'],
    [{ type: 'text', conversation_id: 'CON-1', from: 'MEM-1', body: { text: 'x' } }, 'id'],
    [{ type: 'message', id: 'five', conversation_id: 'CON-1', from: 'MEM-1', body: {} }, 'id'],
    [{ type: 'text', id: 1, from: 'MEM-1', body: { text: 'x' } }, 'conversation_id'],
    [{ type: 'text', id: 1, conversation_id: 'CON-1', body: { text: 'x' } }, 'from'],
    [{ type: 'custom:x', id: 1, conversation_id: 'CON-1', from: 'MEM-1', body: 'x' }, 'body'],
    [{ type: 'text', id: 1, conversation_id: 'CON-1', from: 'MEM-1', body: { text: 3 } }, 'body.text'],
    [{ type: 'message', id: 1, conversation_id: 'CON-1', from: 'MEM-1', body: {} }, 'body.message_type'],
    [['not', 'an', 'object'], 'body'],
  ])('answers 400 naming the field for a bad event (%j → %s)', async (body, field) => {
    const response = await rtcWebhook(body);

    expect(response.status).toBe(400);
    const answer = (await response.json()) as { code: string; errors: { field: string }[] };
    expect(answer.code).toBe('request/validation_failed');
    expect(answer.errors.map((error) => error.field)).toContain(field);
  });

  it('is a plain 404 without the right token', async () => {
    const wrong = await rtcWebhook({ type: 'text' }, 'wrong-token-0123456789');
    const none = await fetch(`${sut.baseUrl}/webhooks/rtc`, { method: 'POST' });

    expect(wrong.status).toBe(404);
    expect(none.status).toBe(404);
  });

  it('posts an agent’s reply from the console to the Vonage conversation as the desk', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);
    const agent = await anAgent(sut);

    const reply = await fetch(`${sut.baseUrl}/api/tickets/${customer.conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'It ships tomorrow.', clientId: randomUUID() }),
    });

    expect(reply.status).toBe(201);
    const events = await eventually(async () => {
      const posted = emulator.conversations.get(ids.vonage_conversation_id)!.events;
      return posted.length > 0 ? posted : undefined;
    }, 'the reply posted to Vonage');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'message',
        from: ids.vonage_desk_member_id,
        body: { message_type: 'text', text: 'It ships tomorrow.' },
      }),
    ]);
    await emulator.delivered();
    expect(await thread(customer.conversationId)).toEqual([
      expect.objectContaining({ direction: 'out', body: 'It ships tomorrow.' }),
    ]);
  });

  it('keeps a reply through a Vonage outage and posts it when Vonage answers again', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);
    const agent = await anAgent(sut);
    emulator.failNext(/^POST \/v1\/conversations\/[^/]+\/events$/, { status: 503 });

    await fetch(`${sut.baseUrl}/api/tickets/${customer.conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Sorry for the wait.', clientId: randomUUID() }),
    });

    const [row] = await eventually(
      async () => {
        const rows = await thread(customer.conversationId);
        return rows[0]?.provider_message_id ? rows : undefined;
      },
      'the reply posted after a retry',
      30_000,
    );
    expect(row?.provider_message_id).toBe(`${ids.vonage_conversation_id}:1`);
    expect(emulator.conversations.get(ids.vonage_conversation_id)!.events).toHaveLength(1);
  });

  function reply(conversationId: string, accessToken: string, body: string) {
    return fetch(`${sut.baseUrl}/api/tickets/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body, clientId: randomUUID() }),
    });
  }

  it('keeps replies in order in Vonage when the first one had to be retried', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);
    const agent = await anAgent(sut);
    emulator.failNext(/^POST \/v1\/conversations\/[^/]+\/events$/, { status: 503 });

    await reply(customer.conversationId, agent.accessToken, 'First');
    await eventually(
      async () =>
        emulator.calls.some((call) => call.response?.status === 503 && /events$/.test(call.path)) ||
        undefined,
      'the first reply refused by Vonage',
    );
    await reply(customer.conversationId, agent.accessToken, 'Second');

    const events = await eventually(
      async () => {
        const posted = emulator.conversations.get(ids.vonage_conversation_id)!.events;
        return posted.length === 2 ? posted : undefined;
      },
      'both replies posted to Vonage',
      30_000,
    );
    expect(events.map((event) => event.body.text)).toEqual(['First', 'Second']);
  });

  it('posts a reply once however many of its jobs run at the same time', async () => {
    const customer = await aCustomer();
    const ids = await provisioned(customer.conversationId);
    const agent = await anAgent(sut);

    await reply(customer.conversationId, agent.accessToken, 'Only once');
    const [row] = await thread(customer.conversationId);
    const job = { data: { messageId: row!.id }, retryCount: 0, retryLimit: 10 } as Job<PostEventJob>;
    const worker = sut.app.get(VonageSyncWorker);
    await Promise.all([worker.post(job), worker.post(job), worker.post(job)]);

    await eventually(
      async () => ((await thread(customer.conversationId))[0]?.provider_message_id ? true : undefined),
      'the reply posted',
    );
    expect(emulator.conversations.get(ids.vonage_conversation_id)!.events).toHaveLength(1);
  });
});
