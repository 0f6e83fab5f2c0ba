import { ErrorCode, type ChatSessionResponse } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ChatRequestError } from '../chat/chat-transport';
import {
  aChatSession,
  aConversation,
  aMessage,
  anOrder,
  anOrderConfirmation,
  CONVERSATION_ID,
  FakeChatTransport,
  ORDER_ID,
} from '../testing/chat';
import { fetchCall, jsonResponse, routeFetch, stubFetch, type FetchMock } from '../testing/fetch-stub';
import { useConversationStore, type ChatLink } from './conversation';

const transports = vi.hoisted(() => ({ current: undefined as unknown, loaded: [] as string[] }));
vi.mock('../chat/load-chat-transport', () => ({
  loadChatTransport: async (name: string) => {
    transports.loaded.push(name);
    return transports.current;
  },
}));

const link: ChatLink = { conversationId: CONVERSATION_ID, orderId: ORDER_ID, token: 'link-token' };

describe('useConversationStore', () => {
  let fetchMock: FetchMock;
  let transport: FakeChatTransport;
  let sessions: ChatSessionResponse[];

  beforeEach(() => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
    transport = new FakeChatTransport();
    transports.current = transport;
    transports.loaded = [];
    sessions = [aChatSession({ accessToken: 'session-1' }), aChatSession({ accessToken: 'session-2' })];
    routeFetch(fetchMock, {
      'POST /api/chat/session': () =>
        jsonResponse(sessions.shift() ?? aChatSession({ accessToken: 'session-n' })),
      [`GET /api/chat/conversations/${CONVERSATION_ID}`]: () =>
        jsonResponse(
          aConversation({ messages: transport.stored.slice(), orders: [anOrder(), anOrder({ id: '41' })] }),
        ),
    });
  });

  afterEach(() => {
    useConversationStore().close();
    vi.useRealTimers();
  });

  /** The page opened and the transport connected and caught up. */
  async function openOnline() {
    const sut = useConversationStore();
    await sut.open(link);
    transport.setConnection('connected');
    await flushPromises();
    return sut;
  }

  const bodies = (sut: ReturnType<typeof useConversationStore>) =>
    sut.messages.map((message) => message.body);
  const seqs = (sut: ReturnType<typeof useConversationStore>) => sut.messages.map((message) => message.seq);

  describe('opening', () => {
    it('trades the link token for a session, loads the conversation with it, then connects', async () => {
      const sut = useConversationStore();

      await sut.open(link);

      expect(fetchCall(fetchMock, 0)).toMatchObject({ url: '/api/chat/session', method: 'POST' });
      expect(JSON.parse(fetchCall(fetchMock, 0).init.body as string)).toEqual({
        conversationId: CONVERSATION_ID,
        token: 'link-token',
      });
      expect(fetchCall(fetchMock, 1).url).toBe(`/api/chat/conversations/${CONVERSATION_ID}`);
      expect(fetchCall(fetchMock, 1).init.headers).toMatchObject({ Authorization: 'Bearer session-1' });
      expect(sut.status).toBe('ready');
      expect(sut.currentOrder?.id).toBe(ORDER_ID);
      expect(sut.otherOrders.map((order) => order.id)).toEqual(['41']);
      expect(seqs(sut)).toEqual([1]);
      expect(transports.loaded).toEqual(['socket']);
      expect(transport.sessions.map((session) => session.accessToken)).toEqual(['session-1']);
      expect(sut.connection).toBe('connecting');
    });

    it('takes the history from a transport that keeps its own (Vonage), and only the orders from the API', async () => {
      class ProviderTransport extends FakeChatTransport {
        readonly ownsHistory = true;
      }
      transport = new ProviderTransport([anOrderConfirmation(5), aMessage({ seq: 7, body: 'From Vonage' })]);
      transports.current = transport;
      routeFetch(fetchMock, {
        'POST /api/chat/session': () => jsonResponse(aChatSession({ transport: 'vonage' })),
        [`GET /api/chat/conversations/${CONVERSATION_ID}`]: () =>
          jsonResponse(
            aConversation({
              messages: [anOrderConfirmation(1), aMessage({ seq: 2, body: 'Our copy' })],
              hasEarlier: true,
              read: { customer: 2, agent: 2 },
            }),
          ),
      });

      const sut = await openOnline();

      expect(transports.loaded).toEqual(['vonage']);
      expect(transport.joins).toEqual([0]);
      expect(seqs(sut)).toEqual([5, 7]);
      expect(bodies(sut)).toContain('From Vonage');
      expect(sut.conversation?.hasEarlier).toBe(false);
      expect(sut.read).toEqual({ customer: 0, agent: 0 });
      expect(sut.currentOrder?.id).toBe(ORDER_ID);
    });

    it('has no current order when the link names an order that is not in the conversation', async () => {
      const sut = useConversationStore();

      await sut.open({ ...link, orderId: '999' });

      expect(sut.status).toBe('ready');
      expect(sut.currentOrder).toBeNull();
      expect(sut.otherOrders.map((order) => order.id)).toEqual([ORDER_ID, '41']);
    });

    it.each([
      [ErrorCode.ChatLinkExpired, 'This chat link expired on 2026-01-05'],
      [ErrorCode.ChatLinkInvalid, 'This chat link is not valid'],
    ])('stops with the API error %s when the link is refused, without connecting', async (code, message) => {
      routeFetch(fetchMock, {
        'POST /api/chat/session': () => jsonResponse({ statusCode: 401, code, message }, 401),
      });
      const sut = useConversationStore();

      await sut.open(link);

      expect(sut.status).toBe('error');
      expect(sut.error).toMatchObject({ code, message });
      expect(transports.loaded).toEqual([]);
    });

    it('renews the session once and retries when the conversation answers 401', async () => {
      let gets = 0;
      routeFetch(fetchMock, {
        'POST /api/chat/session': () => jsonResponse(sessions.shift()),
        [`GET /api/chat/conversations/${CONVERSATION_ID}`]: () =>
          (gets += 1) === 1
            ? jsonResponse({ statusCode: 401, code: ErrorCode.Unauthorized, message: 'Expired' }, 401)
            : jsonResponse(aConversation()),
      });
      const sut = useConversationStore();

      await sut.open(link);

      expect(sut.status).toBe('ready');
      expect(fetchMock.mock.calls.map((_, index) => fetchCall(fetchMock, index).url)).toEqual([
        '/api/chat/session',
        `/api/chat/conversations/${CONVERSATION_ID}`,
        '/api/chat/session',
        `/api/chat/conversations/${CONVERSATION_ID}`,
      ]);
      expect(fetchCall(fetchMock, 3).init.headers).toMatchObject({ Authorization: 'Bearer session-2' });
    });

    it('reports a network failure, and retry opens the chat', async () => {
      fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
      const sut = useConversationStore();
      await sut.open(link);
      expect(sut.error?.code).toBe('client/network_error');

      await sut.retry();

      expect(sut.status).toBe('ready');
      expect(sut.error).toBeNull();
    });
  });

  describe('live messages', () => {
    it('joins from the last seq of the history and goes online', async () => {
      const sut = useConversationStore();
      await sut.open(link);
      const missed = transport.agentSays('Sent before the socket joined', { broadcast: false });

      transport.setConnection('connected');
      await flushPromises();

      expect(transport.joins).toEqual([1]);
      expect(bodies(sut)).toEqual(['', missed.body]);
      expect(sut.connection).toBe('online');
    });

    it('keeps messages in seq order and drops ones it already has, by id or seq', async () => {
      const sut = await openOnline();
      const third = aMessage({ seq: 3, body: 'third' });
      const second = aMessage({ seq: 2, body: 'second' });

      transport.deliver(third);
      transport.deliver(second);
      transport.deliver(third);
      transport.deliver({ ...second, id: 'another-copy' });

      expect(seqs(sut)).toEqual([1, 2, 3]);
      expect(bodies(sut).slice(1)).toEqual(['second', 'third']);
    });

    it("ignores another conversation's messages", async () => {
      const sut = await openOnline();

      transport.deliver(aMessage({ seq: 2, conversationId: '8', body: 'not yours' }));

      expect(seqs(sut)).toEqual([1]);
    });

    it('asks for a missing seq when a live message skips one', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await openOnline();
      const lost = transport.agentSays('lost on the way', { broadcast: false });
      transport.agentSays('arrived');

      expect(seqs(sut)).toEqual([1, 3]);
      await vi.advanceTimersByTimeAsync(500);

      expect(transport.joins).toEqual([1, 1]);
      expect(seqs(sut)).toEqual([1, 2, 3]);
      expect(sut.messages[1]?.id).toBe(lost.id);
    });

    it('catches up from the highest seq it saw after a reconnect, live messages included', async () => {
      const sut = await openOnline();
      transport.agentSays('live before the drop');
      transport.setConnection('disconnected');
      expect(sut.connection).toBe('offline');
      transport.agentSays('while offline 1', { broadcast: false });
      transport.agentSays('while offline 2', { broadcast: false });

      transport.setConnection('connected');
      await flushPromises();

      expect(transport.joins).toEqual([1, 2]);
      expect(bodies(sut).slice(1)).toEqual(['live before the drop', 'while offline 1', 'while offline 2']);
      expect(sut.connection).toBe('online');
    });
  });

  describe('sending', () => {
    it('shows the message as pending until the server stores it, then once, with its seq', async () => {
      const sut = await openOnline();
      let acknowledge: () => void = () => {};
      transport.sendHandler = (request) =>
        new Promise((resolve) => (acknowledge = () => resolve(transport.store(request))));

      expect(sut.send('  Where is my parcel?  ')).toBe(true);
      await flushPromises();
      expect(sut.pending).toEqual([
        expect.objectContaining({ body: 'Where is my parcel?', state: 'sending' }),
      ]);
      expect(transport.sends[0]).toEqual({
        conversationId: CONVERSATION_ID,
        clientId: sut.pending[0]!.clientId,
        body: 'Where is my parcel?',
      });

      // The broadcast of our own message and the acknowledgement both arrive.
      acknowledge();
      await flushPromises();

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'Where is my parcel?']);
      expect(seqs(sut)).toEqual([1, 2]);
    });

    it('takes nothing that is empty or over the length limit', async () => {
      const sut = await openOnline();

      expect(sut.send('   ')).toBe(false);
      expect(sut.send('x'.repeat(2001))).toBe(false);
      expect(sut.send(` ${'x'.repeat(2000)} `)).toBe(true);
    });

    it('queues messages written while offline and sends them in order once caught up', async () => {
      const sut = useConversationStore();
      await sut.open(link);

      sut.send('first');
      sut.send('second');
      await flushPromises();
      expect(transport.sends).toEqual([]);
      expect(sut.pending.map((message) => message.state)).toEqual(['sending', 'sending']);

      transport.setConnection('connected');
      await flushPromises();

      expect(transport.sends.map((request) => request.body)).toEqual(['first', 'second']);
      expect(bodies(sut)).toEqual(['', 'first', 'second']);
      expect(sut.pending).toEqual([]);
    });

    it('resends with the same client id after the answer was lost, and shows it once', async () => {
      const sut = await openOnline();
      // The server stores the message, but the connection drops before its answer arrives.
      transport.echo = false;
      transport.sendHandler = async (request) => {
        transport.store(request);
        transport.setConnection('disconnected');
        throw new ChatRequestError('client/network_error', 'socket has been disconnected');
      };

      sut.send('Are you there?');
      await flushPromises();
      expect(sut.pending).toEqual([expect.objectContaining({ state: 'sending' })]);
      const clientId = sut.pending[0]!.clientId;

      transport.sendHandler = undefined;
      transport.setConnection('connected');
      await flushPromises();

      // The catch-up brings the stored copy; a resend (if any) carries the same client id.
      expect(new Set(transport.sends.map((request) => request.clientId))).toEqual(new Set([clientId]));
      expect(transport.stored.filter((message) => message.body === 'Are you there?')).toHaveLength(1);
      expect(bodies(sut)).toEqual(['', 'Are you there?']);
      expect(sut.pending).toEqual([]);
    });

    it('resends a message still pending after a reconnect with the same client id', async () => {
      const sut = await openOnline();
      transport.sendHandler = async () => {
        transport.setConnection('disconnected');
        throw new ChatRequestError('client/network_error', 'socket has been disconnected');
      };
      sut.send('Hello?');
      await flushPromises();
      const clientId = sut.pending[0]!.clientId;

      transport.sendHandler = undefined;
      transport.setConnection('connected');
      await flushPromises();

      expect(transport.sends.map((request) => request.clientId)).toEqual([clientId, clientId]);
      expect(bodies(sut)).toEqual(['', 'Hello?']);
    });

    it("marks a refused message failed with the server's reason; try again sends it", async () => {
      const sut = await openOnline();
      transport.sendHandler = async () => {
        throw new ChatRequestError(ErrorCode.ValidationFailed, 'Invalid body');
      };

      sut.send('One more');
      await flushPromises();

      expect(sut.pending).toEqual([
        expect.objectContaining({ body: 'One more', state: 'failed', error: 'Invalid body' }),
      ]);

      transport.sendHandler = undefined;
      sut.retrySend(sut.pending[0]!.clientId);
      await flushPromises();

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'One more']);
    });

    it('holds messages back while rate limited and sends them, in order, a moment later', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await openOnline();
      transport.sendHandler = async () => {
        throw new ChatRequestError(
          ErrorCode.ChatRateLimited,
          'Too many messages: wait 1 s before sending again',
        );
      };

      sut.send('eleventh');
      sut.send('twelfth');
      await vi.advanceTimersByTimeAsync(0);

      expect(sut.pending.map((message) => [message.body, message.state, message.error])).toEqual([
        ['eleventh', 'sending', 'Too many messages: wait 1 s before sending again'],
        ['twelfth', 'sending', null],
      ]);
      expect(transport.sends.map((request) => request.body)).toEqual(['eleventh']);

      transport.sendHandler = undefined;
      await vi.advanceTimersByTimeAsync(1_500);

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'eleventh', 'twelfth']);
    });

    it('keeps sending the messages after a failed one, and drops a failed one on request', async () => {
      const sut = await openOnline();
      transport.sendHandler = async (request) => {
        if (request.body === 'bad') throw new ChatRequestError(ErrorCode.ChatMessageTooLong, 'Too long');
        return transport.store(request);
      };

      sut.send('bad');
      sut.send('good');
      await flushPromises();

      expect(bodies(sut)).toEqual(['', 'good']);
      expect(sut.pending.map((message) => [message.body, message.state])).toEqual([['bad', 'failed']]);
      sut.discard(sut.pending[0]!.clientId);
      expect(sut.pending).toEqual([]);
    });
  });

  describe('typing', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });

    it('says the customer is typing, repeats it while they type, and stops after 4 s idle', async () => {
      const sut = await openOnline();

      sut.composing('H');
      sut.composing('He');
      expect(transport.typingSignals).toEqual([true]);
      await vi.advanceTimersByTimeAsync(3000);
      sut.composing('Hel');
      expect(transport.typingSignals).toEqual([true, true]);
      await vi.advanceTimersByTimeAsync(4000);

      expect(transport.typingSignals).toEqual([true, true, false]);
    });

    it('stops typing when the message is sent or the text is cleared', async () => {
      const sut = await openOnline();

      sut.composing('Hi');
      sut.send('Hi');
      sut.composing('x');
      sut.composing('');

      expect(transport.typingSignals).toEqual([true, false, true, false]);
    });

    it('shows the agent typing until they stop, write, or go quiet for 6 s', async () => {
      const sut = await openOnline();

      transport.typingChanged({ typing: true, name: 'Grace' });
      expect(sut.agentTyping).toEqual({ name: 'Grace' });
      transport.typingChanged({ typing: false });
      expect(sut.agentTyping).toBeNull();

      transport.typingChanged({ typing: true });
      transport.agentSays('Here I am');
      expect(sut.agentTyping).toBeNull();

      transport.typingChanged({ typing: true });
      await vi.advanceTimersByTimeAsync(6000);
      expect(sut.agentTyping).toBeNull();
    });

    it("ignores the customer's own typing echoed from another tab", async () => {
      const sut = await openOnline();

      transport.typingChanged({ role: 'customer', typing: true });

      expect(sut.agentTyping).toBeNull();
    });
  });

  describe('read receipts', () => {
    it('marks everything read once, and again only when there is more', async () => {
      const sut = await openOnline();

      await sut.markRead();
      await sut.markRead();
      transport.agentSays('New');
      await sut.markRead();

      expect(transport.reads).toEqual([1, 2]);
      expect(sut.read.customer).toBe(2);
    });

    it('does not mark anything read while offline', async () => {
      const sut = useConversationStore();
      await sut.open(link);

      await sut.markRead();

      expect(transport.reads).toEqual([]);
    });

    it('records how far the agent has read, never going back', async () => {
      const sut = await openOnline();

      transport.readChanged({ seq: 5 });
      transport.readChanged({ seq: 3 });

      expect(sut.read.agent).toBe(5);
    });
  });

  describe('session', () => {
    it('renews the session a minute before it expires and hands it to the transport', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await openOnline();

      await vi.advanceTimersByTimeAsync(839_000);
      expect(sut.session?.accessToken).toBe('session-1');
      await vi.advanceTimersByTimeAsync(1_000);

      expect(sut.session?.accessToken).toBe('session-2');
      expect(transport.sessions.map((session) => session.accessToken)).toEqual(['session-1', 'session-2']);
    });

    it('renews and reconnects when the server refuses the socket', async () => {
      const sut = await openOnline();

      transport.setConnection('unauthorized');
      await flushPromises();

      expect(sut.connection).toBe('offline');
      expect(transport.sessions.map((session) => session.accessToken)).toEqual(['session-1', 'session-2']);
    });

    it('shows the expired link when renewing finds the link expired', async () => {
      const sut = await openOnline();
      routeFetch(fetchMock, {
        'POST /api/chat/session': () =>
          jsonResponse(
            {
              statusCode: 401,
              code: ErrorCode.ChatLinkExpired,
              message: 'This chat link expired on 2026-03-02',
            },
            401,
          ),
      });

      transport.setConnection('unauthorized');
      await flushPromises();

      expect(sut.status).toBe('error');
      expect(sut.error?.code).toBe(ErrorCode.ChatLinkExpired);
      expect(transport.disconnected).toBe(true);
    });
  });

  it('loads earlier messages before the first one', async () => {
    routeFetch(fetchMock, {
      'POST /api/chat/session': () => jsonResponse(aChatSession()),
      [`GET /api/chat/conversations/${CONVERSATION_ID}`]: ({ url }) =>
        url.searchParams.get('beforeSeq') === '101'
          ? jsonResponse(
              aConversation({
                messages: [anOrderConfirmation(1), aMessage({ seq: 100 })],
                hasEarlier: false,
              }),
            )
          : jsonResponse(aConversation({ messages: [aMessage({ seq: 101 })], hasEarlier: true })),
    });
    transport = new FakeChatTransport([]);
    transports.current = transport;
    const sut = useConversationStore();
    await sut.open(link);
    expect(sut.conversation?.hasEarlier).toBe(true);

    await sut.loadEarlier();

    expect(seqs(sut)).toEqual([1, 100, 101]);
    expect(sut.conversation?.hasEarlier).toBe(false);
    expect(sut.earlierStatus).toBe('ready');
  });

  it('disconnects when closed', async () => {
    const sut = await openOnline();

    sut.close();

    expect(transport.disconnected).toBe(true);
  });
});
