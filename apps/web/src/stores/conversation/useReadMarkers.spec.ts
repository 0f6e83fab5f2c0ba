import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { FakeChatTransport } from '../../testing/chat';
import { link, openOnline, startConversationWorld } from '../../testing/conversation-store';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useReadMarkers (through the conversation store)', () => {
  let transport: FakeChatTransport;

  beforeEach(() => {
    ({ transport } = startConversationWorld());
  });

  afterEach(() => {
    useConversationStore().close();
    vi.useRealTimers();
  });

  const open = () => openOnline(transport);

  describe('read receipts', () => {
    it('marks everything read once, and again only when there is more', async () => {
      const sut = await open();

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
      const sut = await open();

      transport.readChanged({ seq: 5 });
      transport.readChanged({ seq: 3 });

      expect(sut.read.agent).toBe(5);
    });
  });
});
