import { describe, expect, it, vi } from 'vitest';

import {
  aChatSession,
  aConversation,
  aMessage,
  anOrderConfirmation,
  CONVERSATION_ID,
  FakeChatTransport,
} from '../../testing/chat';
import { conversationWorld, link, seqs } from '../../testing/conversation-store';
import { jsonResponse, routeFetch } from '../../testing/fetch-stub';
import { transports } from '../../testing/fake-chat-transport-loader';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useEarlierMessages (through the conversation store)', () => {
  const world = conversationWorld();

  it('loads earlier messages before the first one', async () => {
    routeFetch(world.fetchMock, {
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
    world.transport = new FakeChatTransport([]);
    transports.current = world.transport;
    const sut = useConversationStore();
    await sut.open(link);
    expect(sut.conversation?.hasEarlier).toBe(true);

    await sut.loadEarlier();

    expect(seqs(sut)).toEqual([1, 100, 101]);
    expect(sut.conversation?.hasEarlier).toBe(false);
    expect(sut.earlierStatus).toBe('ready');
  });
});
