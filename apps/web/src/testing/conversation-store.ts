import type { ChatSessionResponse } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, vi } from 'vitest';

import { useConversationStore, type ChatLink } from '../stores/conversation';
import { aChatSession, aConversation, anOrder, CONVERSATION_ID, FakeChatTransport, ORDER_ID } from './chat';
import { transports } from './fake-chat-transport-loader';
import { jsonResponse, routeFetch, stubFetch, type FetchMock } from './fetch-stub';

/** The link the specs open: conversation 7 about order 42. */
export const link: ChatLink = { conversationId: CONVERSATION_ID, orderId: ORDER_ID, token: 'link-token' };

/**
 * The conversation store's specs share this world: a fresh Pinia, the API answering the session
 * (`session-1`, then `session-2`, then `session-n`) and the conversation (what the transport stored),
 * and a fake transport that `fake-chat-transport-loader.ts` hands out (each spec mocks the loader with it).
 */
export function startConversationWorld(): {
  fetchMock: FetchMock;
  transport: FakeChatTransport;
  sessions: ChatSessionResponse[];
} {
  setActivePinia(createPinia());
  const fetchMock = stubFetch();
  const transport = new FakeChatTransport();
  transports.current = transport;
  transports.loaded = [];
  const sessions = [aChatSession({ accessToken: 'session-1' }), aChatSession({ accessToken: 'session-2' })];
  routeFetch(fetchMock, {
    'POST /api/chat/session': () =>
      jsonResponse(sessions.shift() ?? aChatSession({ accessToken: 'session-n' })),
    [`GET /api/chat/conversations/${CONVERSATION_ID}`]: () =>
      jsonResponse(
        aConversation({ messages: transport.stored.slice(), orders: [anOrder(), anOrder({ id: '41' })] }),
      ),
  });
  return { fetchMock, transport, sessions };
}

/** The page opened and the transport connected and caught up. */
export async function openOnline(transport: FakeChatTransport) {
  const sut = useConversationStore();
  await sut.open(link);
  transport.setConnection('connected');
  await flushPromises();
  return sut;
}

type ConversationStore = ReturnType<typeof useConversationStore>;
export const bodies = (sut: ConversationStore) => sut.messages.map((message) => message.body);
export const seqs = (sut: ConversationStore) => sut.messages.map((message) => message.seq);

export interface ConversationWorld {
  fetchMock: FetchMock;
  transport: FakeChatTransport;
  sessions: ChatSessionResponse[];
  /** The page opened and the transport connected and caught up. */
  open(): ReturnType<typeof openOnline>;
}

/** `startConversationWorld` before each test of the calling `describe`, the chat closed after it. */
export function conversationWorld(): ConversationWorld {
  const world = { open: () => openOnline(world.transport) } as ConversationWorld;
  beforeEach(() => {
    Object.assign(world, startConversationWorld());
  });
  afterEach(() => {
    useConversationStore().close();
    vi.useRealTimers();
  });
  return world;
}
