import { ErrorCode } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { FakeChatTransport } from '../../testing/chat';
import { openOnline, startConversationWorld } from '../../testing/conversation-store';
import { jsonResponse, routeFetch, type FetchMock } from '../../testing/fetch-stub';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('useChatSession (through the conversation store)', () => {
  let fetchMock: FetchMock;
  let transport: FakeChatTransport;

  beforeEach(() => {
    ({ fetchMock, transport } = startConversationWorld());
  });

  afterEach(() => {
    useConversationStore().close();
    vi.useRealTimers();
  });

  const open = () => openOnline(transport);

  describe('session', () => {
    it('renews the session a minute before it expires and hands it to the transport', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await open();

      await vi.advanceTimersByTimeAsync(839_000);
      expect(sut.session?.accessToken).toBe('session-1');
      await vi.advanceTimersByTimeAsync(1_000);

      expect(sut.session?.accessToken).toBe('session-2');
      expect(transport.sessions.map((session) => session.accessToken)).toEqual(['session-1', 'session-2']);
    });

    it('renews and reconnects when the server refuses the socket', async () => {
      const sut = await open();

      transport.setConnection('unauthorized');
      await flushPromises();

      expect(sut.connection).toBe('offline');
      expect(transport.sessions.map((session) => session.accessToken)).toEqual(['session-1', 'session-2']);
    });

    it('shows the expired link when renewing finds the link expired', async () => {
      const sut = await open();
      routeFetch(fetchMock, {
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

      transport.setConnection('unauthorized');
      await flushPromises();

      expect(sut.status).toBe('error');
      expect(sut.error?.code).toBe(ErrorCode.ChatLinkExpired);
      expect(transport.disconnected).toBe(true);
    });
  });
});
