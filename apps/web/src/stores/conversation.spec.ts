import { ErrorCode } from '@switchboard/contracts';
import { describe, expect, it, vi } from 'vitest';

import {
  aChatSession,
  aConversation,
  aMessage,
  anOrderConfirmation,
  CONVERSATION_ID,
  FakeChatTransport,
  ORDER_ID,
} from '../testing/chat';
import { bodies, conversationWorld, link, seqs } from '../testing/conversation-store';
import { fetchCall, jsonResponse, routeFetch } from '../testing/fetch-stub';
import { transports } from '../testing/fake-chat-transport-loader';
import { useConversationStore } from './conversation';

vi.mock('../chat/load-chat-transport', () => import('../testing/fake-chat-transport-loader'));

describe('useConversationStore: opening and closing', () => {
  const world = conversationWorld();

  describe('opening', () => {
    it('trades the link token for a session, loads the conversation with it, then connects', async () => {
      const sut = useConversationStore();

      await sut.open(link);

      expect(fetchCall(world.fetchMock, 0)).toMatchObject({ url: '/api/chat/session', method: 'POST' });
      expect(JSON.parse(fetchCall(world.fetchMock, 0).init.body as string)).toEqual({
        conversationId: CONVERSATION_ID,
        token: 'link-token',
      });
      expect(fetchCall(world.fetchMock, 1).url).toBe(`/api/chat/conversations/${CONVERSATION_ID}`);
      expect(fetchCall(world.fetchMock, 1).init.headers).toMatchObject({ Authorization: 'Bearer session-1' });
      expect(sut.status).toBe('ready');
      expect(sut.currentOrder?.id).toBe(ORDER_ID);
      expect(sut.otherOrders.map((order) => order.id)).toEqual(['41']);
      expect(seqs(sut)).toEqual([1]);
      expect(transports.loaded).toEqual(['socket']);
      expect(world.transport.sessions.map((session) => session.accessToken)).toEqual(['session-1']);
      expect(sut.connection).toBe('connecting');
    });

    it('takes the history from a transport that keeps its own (Vonage), and only the orders from the API', async () => {
      class ProviderTransport extends FakeChatTransport {
        readonly ownsHistory = true;
      }
      world.transport = new ProviderTransport([
        anOrderConfirmation(5),
        aMessage({ seq: 7, body: 'From Vonage' }),
      ]);
      transports.current = world.transport;
      routeFetch(world.fetchMock, {
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

      const sut = await world.open();

      expect(transports.loaded).toEqual(['vonage']);
      expect(world.transport.joins).toEqual([0]);
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
      routeFetch(world.fetchMock, {
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
      routeFetch(world.fetchMock, {
        'POST /api/chat/session': () => jsonResponse(world.sessions.shift()),
        [`GET /api/chat/conversations/${CONVERSATION_ID}`]: () =>
          (gets += 1) === 1
            ? jsonResponse({ statusCode: 401, code: ErrorCode.Unauthorized, message: 'Expired' }, 401)
            : jsonResponse(aConversation()),
      });
      const sut = useConversationStore();

      await sut.open(link);

      expect(sut.status).toBe('ready');
      expect(world.fetchMock.mock.calls.map((_, index) => fetchCall(world.fetchMock, index).url)).toEqual([
        '/api/chat/session',
        `/api/chat/conversations/${CONVERSATION_ID}`,
        '/api/chat/session',
        `/api/chat/conversations/${CONVERSATION_ID}`,
      ]);
      expect(fetchCall(world.fetchMock, 3).init.headers).toMatchObject({ Authorization: 'Bearer session-2' });
    });

    it('reports a network failure, and retry opens the chat', async () => {
      world.fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
      const sut = useConversationStore();
      await sut.open(link);
      expect(sut.error?.code).toBe('client/network_error');

      await sut.retry();

      expect(sut.status).toBe('ready');
      expect(sut.error).toBeNull();
    });
  });

  it('disconnects when closed', async () => {
    const sut = await world.open();

    sut.close();

    expect(world.transport.disconnected).toBe(true);
  });
});
