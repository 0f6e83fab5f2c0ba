import { describe, expect, it, vi } from 'vitest';

import { conversationWorld, link } from '../../testing/conversation-store';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useReadMarkers (through the conversation store)', () => {
  const world = conversationWorld();

  describe('read receipts', () => {
    it('marks everything read once, and again only when there is more', async () => {
      const sut = await world.open();

      await sut.markRead();
      await sut.markRead();
      world.transport.agentSays('New');
      await sut.markRead();

      expect(world.transport.reads).toEqual([1, 2]);
      expect(sut.read.customer).toBe(2);
    });

    it('does not mark anything read while offline', async () => {
      const sut = useConversationStore();
      await sut.open(link);

      await sut.markRead();

      expect(world.transport.reads).toEqual([]);
    });

    it('records how far the agent has read, never going back', async () => {
      const sut = await world.open();

      world.transport.readChanged({ seq: 5 });
      world.transport.readChanged({ seq: 3 });

      expect(sut.read.agent).toBe(5);
    });
  });
});
