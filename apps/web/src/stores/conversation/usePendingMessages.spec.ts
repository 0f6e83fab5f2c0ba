import { ErrorCode } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';

import { ChatRequestError } from '../../chat/chat-transport';
import { CONVERSATION_ID } from '../../testing/chat';
import { bodies, conversationWorld, link, seqs } from '../../testing/conversation-store';
import { useConversationStore } from '../conversation';

vi.mock('../../chat/load-chat-transport', () => import('../../testing/fake-chat-transport-loader'));

describe('usePendingMessages (through the conversation store)', () => {
  const world = conversationWorld();

  describe('sending', () => {
    it('shows the message as pending until the server stores it, then once, with its seq', async () => {
      const sut = await world.open();
      let acknowledge: () => void = () => {};
      world.transport.sendHandler = (request) =>
        new Promise((resolve) => (acknowledge = () => resolve(world.transport.store(request))));

      expect(sut.send('  Where is my parcel?  ')).toBe(true);
      await flushPromises();
      expect(sut.pending).toEqual([
        expect.objectContaining({ body: 'Where is my parcel?', state: 'sending' }),
      ]);
      expect(world.transport.sends[0]).toEqual({
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
      const sut = await world.open();

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
      expect(world.transport.sends).toEqual([]);
      expect(sut.pending.map((message) => message.state)).toEqual(['sending', 'sending']);

      world.transport.setConnection('connected');
      await flushPromises();

      expect(world.transport.sends.map((request) => request.body)).toEqual(['first', 'second']);
      expect(bodies(sut)).toEqual(['', 'first', 'second']);
      expect(sut.pending).toEqual([]);
    });

    it('resends with the same client id after the answer was lost, and shows it once', async () => {
      const sut = await world.open();
      // The server stores the message, but the connection drops before its answer arrives.
      world.transport.echo = false;
      world.transport.sendHandler = async (request) => {
        world.transport.store(request);
        world.transport.setConnection('disconnected');
        throw new ChatRequestError('client/network_error', 'socket has been disconnected');
      };

      sut.send('Are you there?');
      await flushPromises();
      expect(sut.pending).toEqual([expect.objectContaining({ state: 'sending' })]);
      const clientId = sut.pending[0]!.clientId;

      world.transport.sendHandler = undefined;
      world.transport.setConnection('connected');
      await flushPromises();

      // The catch-up brings the stored copy; a resend (if any) carries the same client id.
      expect(new Set(world.transport.sends.map((request) => request.clientId))).toEqual(new Set([clientId]));
      expect(world.transport.stored.filter((message) => message.body === 'Are you there?')).toHaveLength(1);
      expect(bodies(sut)).toEqual(['', 'Are you there?']);
      expect(sut.pending).toEqual([]);
    });

    it('resends a message still pending after a reconnect with the same client id', async () => {
      const sut = await world.open();
      world.transport.sendHandler = async () => {
        world.transport.setConnection('disconnected');
        throw new ChatRequestError('client/network_error', 'socket has been disconnected');
      };
      sut.send('Hello?');
      await flushPromises();
      const clientId = sut.pending[0]!.clientId;

      world.transport.sendHandler = undefined;
      world.transport.setConnection('connected');
      await flushPromises();

      expect(world.transport.sends.map((request) => request.clientId)).toEqual([clientId, clientId]);
      expect(bodies(sut)).toEqual(['', 'Hello?']);
    });

    it("marks a refused message failed with the server's reason; try again sends it", async () => {
      const sut = await world.open();
      world.transport.sendHandler = async () => {
        throw new ChatRequestError(ErrorCode.ValidationFailed, 'Invalid body');
      };

      sut.send('One more');
      await flushPromises();

      expect(sut.pending).toEqual([
        expect.objectContaining({ body: 'One more', state: 'failed', error: 'Invalid body' }),
      ]);

      world.transport.sendHandler = undefined;
      sut.retrySend(sut.pending[0]!.clientId);
      await flushPromises();

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'One more']);
    });

    it('holds messages back while rate limited and sends them, in order, a moment later', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const sut = await world.open();
      world.transport.sendHandler = async () => {
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
      expect(world.transport.sends.map((request) => request.body)).toEqual(['eleventh']);

      world.transport.sendHandler = undefined;
      await vi.advanceTimersByTimeAsync(1_500);

      expect(sut.pending).toEqual([]);
      expect(bodies(sut)).toEqual(['', 'eleventh', 'twelfth']);
    });

    it('keeps sending the messages after a failed one, and drops a failed one on request', async () => {
      const sut = await world.open();
      world.transport.sendHandler = async (request) => {
        if (request.body === 'bad') throw new ChatRequestError(ErrorCode.ChatMessageTooLong, 'Too long');
        return world.transport.store(request);
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
