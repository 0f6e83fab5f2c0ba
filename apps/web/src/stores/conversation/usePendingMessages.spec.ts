import { ErrorCode } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ChatRequestError } from '../../chat/chat-transport';
import { CONVERSATION_ID, type FakeChatTransport } from '../../testing/chat';
import { bodies, link, openOnline, seqs, startConversationWorld } from '../../testing/conversation-store';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('usePendingMessages (through the conversation store)', () => {
  let transport: FakeChatTransport;

  beforeEach(() => {
    ({ transport } = startConversationWorld());
  });

  afterEach(() => {
    useConversationStore().close();
    vi.useRealTimers();
  });

  const open = () => openOnline(transport);

  describe('sending', () => {
    it('shows the message as pending until the server stores it, then once, with its seq', async () => {
      const sut = await open();
      let acknowledge: () => void = () => {};
      transport.sendHandler = (request) =>
        new Promise((resolve) => (acknowledge = () => resolve(transport.store(request))));

      expect(sut.send('  Where is my parcel?  ')).toBe(true);
      await flushPromises();
      expect(sut.pending).toEqual([
        expect.objectContaining({ body: 'Where is my parcel?', state: 'sending' }),
      ]);
      expect(transport.sends[0]).toEqual({
        conversationId: CONVERSATION_ID,
        clientId: sut.pending[0]!.clientId,
        body: 'Where is my parcel?',
      });

      // The broadcast of our own message and the acknowledgement both arrive.
      acknowledge();
      await flushPromises();

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'Where is my parcel?']);
      expect(seqs(sut)).toEqual([1, 2]);
    });

    it('takes nothing that is empty or over the length limit', async () => {
      const sut = await open();

      expect(sut.send('   ')).toBe(false);
      expect(sut.send('x'.repeat(2001))).toBe(false);
      expect(sut.send(` ${'x'.repeat(2000)} `)).toBe(true);
    });

    it('queues messages written while offline and sends them in order once caught up', async () => {
      const sut = useConversationStore();
      await sut.open(link);

      sut.send('first');
      sut.send('second');
      await flushPromises();
      expect(transport.sends).toEqual([]);
      expect(sut.pending.map((message) => message.state)).toEqual(['sending', 'sending']);

      transport.setConnection('connected');
      await flushPromises();

      expect(transport.sends.map((request) => request.body)).toEqual(['first', 'second']);
      expect(bodies(sut)).toEqual(['', 'first', 'second']);
      expect(sut.pending).toEqual([]);
    });

    it('resends with the same client id after the answer was lost, and shows it once', async () => {
      const sut = await open();
      // The server stores the message, but the connection drops before its answer arrives.
      transport.echo = false;
      transport.sendHandler = async (request) => {
        transport.store(request);
        transport.setConnection('disconnected');
        throw new ChatRequestError('client/network_error', 'socket has been disconnected');
      };

      sut.send('Are you there?');
      await flushPromises();
      expect(sut.pending).toEqual([expect.objectContaining({ state: 'sending' })]);
      const clientId = sut.pending[0]!.clientId;

      transport.sendHandler = undefined;
      transport.setConnection('connected');
      await flushPromises();

      // The catch-up brings the stored copy; a resend (if any) carries the same client id.
      expect(new Set(transport.sends.map((request) => request.clientId))).toEqual(new Set([clientId]));
      expect(transport.stored.filter((message) => message.body === 'Are you there?')).toHaveLength(1);
      expect(bodies(sut)).toEqual(['', 'Are you there?']);
      expect(sut.pending).toEqual([]);
    });

    it('resends a message still pending after a reconnect with the same client id', async () => {
      const sut = await open();
      transport.sendHandler = async () => {
        transport.setConnection('disconnected');
        throw new ChatRequestError('client/network_error', 'socket has been disconnected');
      };
      sut.send('Hello?');
      await flushPromises();
      const clientId = sut.pending[0]!.clientId;

      transport.sendHandler = undefined;
      transport.setConnection('connected');
      await flushPromises();

      expect(transport.sends.map((request) => request.clientId)).toEqual([clientId, clientId]);
      expect(bodies(sut)).toEqual(['', 'Hello?']);
    });

    it("marks a refused message failed with the server's reason; try again sends it", async () => {
      const sut = await open();
      transport.sendHandler = async () => {
        throw new ChatRequestError(ErrorCode.ValidationFailed, 'Invalid body');
      };

      sut.send('One more');
      await flushPromises();

      expect(sut.pending).toEqual([
        expect.objectContaining({ body: 'One more', state: 'failed', error: 'Invalid body' }),
      ]);

      transport.sendHandler = undefined;
      sut.retrySend(sut.pending[0]!.clientId);
      await flushPromises();

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'One more']);
    });

    it('holds messages back while rate limited and sends them, in order, a moment later', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await open();
      transport.sendHandler = async () => {
        throw new ChatRequestError(
          ErrorCode.ChatRateLimited,
          'Too many messages: wait 1 s before sending again',
        );
      };

      sut.send('eleventh');
      sut.send('twelfth');
      await vi.advanceTimersByTimeAsync(0);

      expect(sut.pending.map((message) => [message.body, message.state, message.error])).toEqual([
        ['eleventh', 'sending', 'Too many messages: wait 1 s before sending again'],
        ['twelfth', 'sending', null],
      ]);
      expect(transport.sends.map((request) => request.body)).toEqual(['eleventh']);

      transport.sendHandler = undefined;
      await vi.advanceTimersByTimeAsync(1_500);

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'eleventh', 'twelfth']);
    });

    it('keeps sending the messages after a failed one, and drops a failed one on request', async () => {
      const sut = await open();
      transport.sendHandler = async (request) => {
        if (request.body === 'bad') throw new ChatRequestError(ErrorCode.ChatMessageTooLong, 'Too long');
        return transport.store(request);
      };

      sut.send('bad');
      sut.send('good');
      await flushPromises();

      expect(bodies(sut)).toEqual(['', 'good']);
      expect(sut.pending.map((message) => [message.body, message.state])).toEqual([['bad', 'failed']]);
      sut.discard(sut.pending[0]!.clientId);
      expect(sut.pending).toEqual([]);
    });
  });
});
