import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  aChatSession,
  aConversation,
  aMessage,
  anOrderConfirmation,
  CONVERSATION_ID,
  FakeChatTransport,
} from '../../testing/chat';
import { link, seqs, startConversationWorld } from '../../testing/conversation-store';
import { jsonResponse, routeFetch, type FetchMock } from '../../testing/fetch-stub';
import { transports } from '../../testing/fake-chat-transport-loader';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useEarlierMessages (through the conversation store)', () => {
  let fetchMock: FetchMock;
  let transport: FakeChatTransport;

  beforeEach(() => {
    ({ fetchMock, transport } = startConversationWorld());
  });

  afterEach(() => {
    useConversationStore().close();
    vi.useRealTimers();
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
});
