import { beforeEach, describe, expect, it, vi } from 'vitest';

import { conversationWorld } from '../../testing/conversation-store';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useTyping (through the conversation store)', () => {
  const world = conversationWorld();

  describe('typing', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });

    it('says the customer is typing, repeats it while they type, and stops after 4 s idle', async () => {
      const sut = await world.open();

      sut.composing('H');
      sut.composing('He');
      expect(world.transport.typingSignals).toEqual([true]);
      await vi.advanceTimersByTimeAsync(3000);
      sut.composing('Hel');
      expect(world.transport.typingSignals).toEqual([true, true]);
      await vi.advanceTimersByTimeAsync(4000);

      expect(world.transport.typingSignals).toEqual([true, true, false]);
    });

    it('stops typing when the message is sent or the text is cleared', async () => {
      const sut = await world.open();

      sut.composing('Hi');
      sut.send('Hi');
      sut.composing('x');
      sut.composing('');

      expect(world.transport.typingSignals).toEqual([true, false, true, false]);
    });

    it('shows the agent typing until they stop, write, or go quiet for 6 s', async () => {
      const sut = await world.open();

      world.transport.typingChanged({ typing: true, name: 'Grace' });
      expect(sut.agentTyping).toEqual({ name: 'Grace' });
      world.transport.typingChanged({ typing: false });
      expect(sut.agentTyping).toBeNull();

      world.transport.typingChanged({ typing: true });
      world.transport.agentSays('Here I am');
      expect(sut.agentTyping).toBeNull();

      world.transport.typingChanged({ typing: true });
      await vi.advanceTimersByTimeAsync(6000);
      expect(sut.agentTyping).toBeNull();
    });

    it("ignores the customer's own typing echoed from another tab", async () => {
      const sut = await world.open();

      world.transport.typingChanged({ role: 'customer', typing: true });

      expect(sut.agentTyping).toBeNull();
    });
  });
});
