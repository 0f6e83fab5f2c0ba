import { ErrorCode } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';

import { conversationWorld } from '../../testing/conversation-store';
import { jsonResponse, routeFetch } from '../../testing/fetch-stub';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useChatSession (through the conversation store)', () => {
  const world = conversationWorld();

  describe('session', () => {
    it('renews the session a minute before it expires and hands it to the transport', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await world.open();

      await vi.advanceTimersByTimeAsync(839_000);
      expect(sut.session?.accessToken).toBe('session-1');
      await vi.advanceTimersByTimeAsync(1_000);

      expect(sut.session?.accessToken).toBe('session-2');
      expect(world.transport.sessions.map((session) => session.accessToken)).toEqual([
        'session-1',
        'session-2',
      ]);
    });

    it('renews and reconnects when the server refuses the socket', async () => {
      const sut = await world.open();

      world.transport.setConnection('unauthorized');
      await flushPromises();

      expect(sut.connection).toBe('offline');
      expect(world.transport.sessions.map((session) => session.accessToken)).toEqual([
        'session-1',
        'session-2',
      ]);
    });

    it('shows the expired link when renewing finds the link expired', async () => {
      const sut = await world.open();
      routeFetch(world.fetchMock, {
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

      world.transport.setConnection('unauthorized');
      await flushPromises();

      expect(sut.status).toBe('error');
      expect(sut.error?.code).toBe(ErrorCode.ChatLinkExpired);
      expect(world.transport.disconnected).toBe(true);
    });
  });
});
