import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';

import { aMessage } from '../../testing/chat';
import { bodies, conversationWorld, link, seqs } from '../../testing/conversation-store';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useMessageSync (through the conversation store)', () => {
  const world = conversationWorld();

  describe('live messages', () => {
    it('joins from the last seq of the history and goes online', async () => {
      const sut = useConversationStore();
      await sut.open(link);
      const missed = world.transport.agentSays('Sent before the socket joined', { broadcast: false });

      world.transport.setConnection('connected');
      await flushPromises();

      expect(world.transport.joins).toEqual([1]);
      expect(bodies(sut)).toEqual(['', missed.body]);
      expect(sut.connection).toBe('online');
    });

    it('keeps messages in seq order and drops ones it already has, by id or seq', async () => {
      const sut = await world.open();
      const third = aMessage({ seq: 3, body: 'third' });
      const second = aMessage({ seq: 2, body: 'second' });

      world.transport.deliver(third);
      world.transport.deliver(second);
      world.transport.deliver(third);
      world.transport.deliver({ ...second, id: 'another-copy' });

      expect(seqs(sut)).toEqual([1, 2, 3]);
      expect(bodies(sut).slice(1)).toEqual(['second', 'third']);
    });

    it("ignores another conversation's messages", async () => {
      const sut = await world.open();

      world.transport.deliver(aMessage({ seq: 2, conversationId: '8', body: 'not yours' }));

      expect(seqs(sut)).toEqual([1]);
    });

    it('asks for a missing seq when a live message skips one', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await world.open();
      const lost = world.transport.agentSays('lost on the way', { broadcast: false });
      world.transport.agentSays('arrived');

      expect(seqs(sut)).toEqual([1, 3]);
      await vi.advanceTimersByTimeAsync(500);

      expect(world.transport.joins).toEqual([1, 1]);
      expect(seqs(sut)).toEqual([1, 2, 3]);
      expect(sut.messages[1]?.id).toBe(lost.id);
    });

    it('catches up from the highest seq it saw after a reconnect, live messages included', async () => {
      const sut = await world.open();
      world.transport.agentSays('live before the drop');
      world.transport.setConnection('disconnected');
      expect(sut.connection).toBe('offline');
      world.transport.agentSays('while offline 1', { broadcast: false });
      world.transport.agentSays('while offline 2', { broadcast: false });

      world.transport.setConnection('connected');
      await flushPromises();

      expect(world.transport.joins).toEqual([1, 2]);
      expect(bodies(sut).slice(1)).toEqual(['live before the drop', 'while offline 1', 'while offline 2']);
      expect(sut.connection).toBe('online');
    });
  });
});
