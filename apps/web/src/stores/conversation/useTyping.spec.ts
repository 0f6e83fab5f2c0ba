import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { FakeChatTransport } from '../../testing/chat';
import { openOnline, startConversationWorld } from '../../testing/conversation-store';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useTyping (through the conversation store)', () => {
  let transport: FakeChatTransport;

  beforeEach(() => {
    ({ transport } = startConversationWorld());
  });

  afterEach(() => {
    useConversationStore().close();
    vi.useRealTimers();
  });

  const open = () => openOnline(transport);

  describe('typing', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });

    it('says the customer is typing, repeats it while they type, and stops after 4 s idle', async () => {
      const sut = await open();

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
      const sut = await open();

      sut.composing('Hi');
      sut.send('Hi');
      sut.composing('x');
      sut.composing('');

      expect(transport.typingSignals).toEqual([true, false, true, false]);
    });

    it('shows the agent typing until they stop, write, or go quiet for 6 s', async () => {
      const sut = await open();

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
      const sut = await open();

      transport.typingChanged({ role: 'customer', typing: true });

      expect(sut.agentTyping).toBeNull();
    });
  });
});
