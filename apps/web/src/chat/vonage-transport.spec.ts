import type { ChatMessage } from '@switchboard/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { aChatSession, CONVERSATION_ID } from '../testing/chat';
import { StandInConversation, StandInNexmoClient } from '../testing/nexmo-client-stand-in';
import type { ConnectionState } from './chat-transport';
import { VonageTransport } from './vonage-transport';

vi.mock('nexmo-client', () => import('../testing/nexmo-client-stand-in'));

const VONAGE_CONVERSATION = 'CON-1';

function aVonageSession(token = 'client-jwt-1') {
  return aChatSession({
    transport: 'vonage',
    vonage: { token, expiresIn: 900, conversationId: VONAGE_CONVERSATION, userId: 'USR-1' },
  });
}

const ORDER_BODY = {
  order_id: '42',
  items: [{ name: 'Widget', quantity: 2, unit_price: 499 }],
  total: 998,
  currency: 'EUR',
  text: '2 × Widget (€4.99) — total €9.98',
};

describe(VonageTransport.name, () => {
  let conversation: StandInConversation;
  let sut: VonageTransport;
  let states: ConnectionState[];

  beforeEach(() => {
    StandInNexmoClient.reset();
    conversation = new StandInConversation(VONAGE_CONVERSATION);
    sut = new VonageTransport();
    states = [];
    sut.onConnectionChange((state) => states.push(state));
  });

  afterEach(() => {
    sut.disconnect();
    vi.useRealTimers();
  });

  async function connected(): Promise<StandInNexmoClient> {
    sut.connect(aVonageSession());
    await vi.waitFor(() => expect(states.at(-1)).toBe('connected'));
    return StandInNexmoClient.instances[0]!;
  }

  it('keeps its own history: the page takes it from join', () => {
    expect(sut.ownsHistory).toBe(true);
  });

  describe('connect', () => {
    it('opens a session with the Client SDK token and gets the session’s Vonage conversation', async () => {
      const client = await connected();

      expect(states).toEqual(['connecting', 'connected']);
      expect(client.sessions).toEqual(['client-jwt-1']);
      // Nothing phones home: no bugsnag reports, no media statistics.
      expect(client.options).toMatchObject({
        log_reporter: { enabled: false },
        rtcstats: { remote_collection: false },
      });
    });

    it('is unauthorized with an expired token, and starts again with the renewed session', async () => {
      StandInNexmoClient.expiredTokens.add('client-jwt-1');
      sut.connect(aVonageSession());
      await vi.waitFor(() => expect(states.at(-1)).toBe('unauthorized'));

      sut.connect(aVonageSession('client-jwt-2'));

      await vi.waitFor(() => expect(states.at(-1)).toBe('connected'));
      expect(StandInNexmoClient.instances[0]!.sessions).toEqual(['client-jwt-1', 'client-jwt-2']);
    });

    it('tries again a little later when Vonage cannot be reached', async () => {
      vi.useFakeTimers();
      StandInNexmoClient.unreachable = 1;
      sut.connect(aVonageSession());
      await vi.waitFor(() => expect(states.at(-1)).toBe('disconnected'));

      await vi.advanceTimersByTimeAsync(5_000);

      await vi.waitFor(() => expect(states.at(-1)).toBe('connected'));
    });

    it('hands a renewed token to the live session', async () => {
      const client = await connected();

      sut.connect(aVonageSession('client-jwt-2'));

      await vi.waitFor(() => expect(client.application!.tokens).toEqual(['client-jwt-1', 'client-jwt-2']));
    });

    it('follows the websocket: dropped, reconnecting, back', async () => {
      const client = await connected();

      client.emit('disconnect');
      client.emit('reconnecting');
      client.emit('reconnect');

      expect(states.slice(2)).toEqual(['disconnected', 'connecting', 'connected']);
    });

    it('reports an expired token during the session as unauthorized', async () => {
      const client = await connected();

      client.application!.errorListeners.get('system:error:expired-token')!({});

      expect(states.at(-1)).toBe('unauthorized');
    });
  });

  describe('join', () => {
    it('reads the whole history with getEvents, as thread entries numbered by Vonage', async () => {
      conversation.store({ type: 'member:joined', from: 'MEM-desk', body: {} });
      conversation.store({ type: 'custom:order-confirm-event', from: 'MEM-desk', body: ORDER_BODY });
      conversation.store({
        type: 'message',
        from: 'MEM-customer',
        body: { message_type: 'text', text: 'Hi' },
      });
      conversation.store({
        type: 'message',
        from: 'MEM-desk',
        body: { message_type: 'text', text: 'Hello!' },
      });
      conversation.store({ type: 'custom:something-else', from: 'MEM-desk', body: {} });
      await connected();

      const { messages, read } = await sut.join(CONVERSATION_ID, 0);

      expect(read).toEqual({ customer: 0, agent: 0 });
      expect(
        messages.map(({ id, seq, kind, body, author }) => ({ id, seq, kind, body, role: author.role })),
      ).toEqual([
        { id: 'vonage:2', seq: 2, kind: 'event', body: ORDER_BODY.text, role: 'system' },
        { id: 'vonage:3', seq: 3, kind: 'text', body: 'Hi', role: 'customer' },
        { id: 'vonage:4', seq: 4, kind: 'text', body: 'Hello!', role: 'agent' },
      ]);
      expect(messages[0]!.payload).toEqual({
        type: 'order-confirm',
        orderId: '42',
        items: [{ name: 'Widget', quantity: 2, unitPrice: 499 }],
        total: 998,
        currency: 'EUR',
        text: ORDER_BODY.text,
      });
      expect(messages[1]).toMatchObject({
        conversationId: CONVERSATION_ID,
        author: { role: 'customer', id: '3', name: 'Ada Lovelace' },
        clientId: null,
      });
    });

    it('pages through a long history, and returns only what came after the seq asked from', async () => {
      for (let i = 1; i <= 230; i++) {
        conversation.store({
          type: 'message',
          from: 'MEM-desk',
          body: { message_type: 'text', text: `#${i}` },
        });
      }
      await connected();

      const { messages } = await sut.join(CONVERSATION_ID, 200);

      expect(messages.map((message) => message.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 201 + i));
      expect(conversation.pageRequests).toEqual([{ page_size: 100, order: 'asc' }]);
    });

    it('is unanswered before the conversation is joined', async () => {
      await expect(sut.join(CONVERSATION_ID, 0)).rejects.toMatchObject({
        name: 'ChatRequestError',
        code: 'client/network_error',
      });
    });
  });

  describe('send', () => {
    it('sends a text message event and answers with it, the client id echoed', async () => {
      await connected();

      const { message, duplicate } = await sut.send({
        conversationId: CONVERSATION_ID,
        clientId: 'c0ffee00-0000-4000-8000-000000000001',
        body: 'Where is my parcel?',
      });

      expect(duplicate).toBe(false);
      expect(conversation.events.at(-1)).toMatchObject({
        type: 'message',
        from: 'MEM-customer',
        body: { message_type: 'text', text: 'Where is my parcel?' },
      });
      expect(message).toMatchObject({
        id: 'vonage:1',
        seq: 1,
        kind: 'text',
        body: 'Where is my parcel?',
        author: { role: 'customer' },
        clientId: 'c0ffee00-0000-4000-8000-000000000001',
      });
    });

    it('turns a failure into an unanswered request the page may resend', async () => {
      await connected();
      conversation.failSends = 1;

      const error = await sut
        .send({
          conversationId: CONVERSATION_ID,
          clientId: 'c0ffee00-0000-4000-8000-000000000002',
          body: 'x',
        })
        .catch((rejection: unknown) => rejection);

      expect(error).toMatchObject({ name: 'ChatRequestError', unanswered: true });
    });
  });

  describe('live events', () => {
    it('passes on the agents’ texts and order confirmations as they arrive', async () => {
      const received: ChatMessage[] = [];
      sut.onMessage((message) => received.push(message));
      await connected();

      conversation.deliver({
        type: 'message',
        from: 'MEM-desk',
        body: { message_type: 'text', text: 'On its way' },
      });
      conversation.deliver({ type: 'custom:order-confirm-event', from: 'MEM-desk', body: ORDER_BODY });
      conversation.deliver({
        type: 'message',
        from: 'MEM-desk',
        body: { message_type: 'image', image: { url: 'x' } },
      });

      expect(received.map(({ seq, kind, author }) => ({ seq, kind, role: author.role }))).toEqual([
        { seq: 1, kind: 'text', role: 'agent' },
        { seq: 2, kind: 'event', role: 'system' },
      ]);
    });
  });

  it('ends the session and stops listening on disconnect', async () => {
    const client = await connected();

    sut.disconnect();

    expect(client.deleted).toBe(true);
    expect(conversation.listeners.size).toBe(0);
  });
});
