import { ChatEvent, ErrorCode } from '@switchboard/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { aChatSession, aMessage } from '../testing/chat';
import type { FakeSocket } from '../testing/fake-socket';
import { ChatRequestError, type ConnectionState } from './chat-transport';
import { SocketTransport } from './socket-transport';

const sockets = vi.hoisted(() => ({
  created: [] as { socket: unknown; options: Record<string, unknown> }[],
}));
vi.mock('socket.io-client', async () => {
  const { FakeSocket } = await import('../testing/fake-socket');
  return {
    io: (options: Record<string, unknown>) => {
      const socket = new FakeSocket();
      sockets.created.push({ socket, options });
      return socket;
    },
  };
});

describe(SocketTransport.name, () => {
  let sut: SocketTransport;
  let states: ConnectionState[];

  beforeEach(() => {
    sockets.created = [];
    sut = new SocketTransport();
    states = [];
    sut.onConnectionChange((state) => states.push(state));
  });

  afterEach(() => {
    sut.disconnect();
    vi.useRealTimers();
  });

  function connected(): FakeSocket {
    sut.connect(aChatSession({ accessToken: 'token-1' }));
    const socket = sockets.created[0]!.socket as FakeSocket;
    socket.connected = true;
    socket.fire('connect');
    return socket;
  }

  function handshakeToken(): unknown {
    let sent: unknown;
    const auth = sockets.created[0]!.options.auth as (send: (data: unknown) => void) => void;
    auth((data) => (sent = data));
    return sent;
  }

  it('connects once, on the page origin, with the session token at every handshake', () => {
    sut.connect(aChatSession({ accessToken: 'token-1' }));
    expect(handshakeToken()).toEqual({ token: 'token-1' });

    sut.connect(aChatSession({ accessToken: 'token-2' }));

    expect(sockets.created).toHaveLength(1);
    expect(handshakeToken()).toEqual({ token: 'token-2' });
    expect(states).toEqual(['connecting']);
  });

  it('uses WebSocket only: the API serves no long-polling', () => {
    sut.connect(aChatSession());

    expect(sockets.created[0]!.options.transports).toEqual(['websocket']);
  });

  it('hands a renewed session to the live socket, so the server does not close it at the old expiry', () => {
    const socket = connected();

    sut.connect(aChatSession({ accessToken: 'token-2' }));
    sut.connect(aChatSession({ accessToken: 'token-2' }));

    expect(socket.emitted).toEqual([
      { event: ChatEvent.RenewSession, payload: { token: 'token-2' }, volatile: false },
    ]);
    expect(socket.connectCalls).toBe(0);
  });

  it.each(['expired', 'revoked'] as const)(
    'reports a session the server ended (%s) as unauthorized, and comes back only with a renewed one',
    (reason) => {
      vi.useFakeTimers();
      const socket = connected();

      socket.fire(ChatEvent.SessionEnded, { reason });
      socket.connected = false;
      socket.active = false;
      socket.fire('disconnect', 'io server disconnect');
      vi.advanceTimersByTime(5_000);

      expect(states.at(-1)).toBe('unauthorized');
      expect(socket.connectCalls).toBe(0);

      sut.connect(aChatSession({ accessToken: 'renewed' }));

      expect(socket.connectCalls).toBe(1);
      expect(handshakeToken()).toEqual({ token: 'renewed' });
      expect(socket.emitted.map((emitted) => emitted.event)).not.toContain(ChatEvent.RenewSession);
    },
  );

  it('reports connected and disconnected', () => {
    const socket = connected();
    socket.connected = false;
    socket.fire('disconnect', 'transport close');

    expect(states).toEqual(['connecting', 'connected', 'disconnected']);
  });

  it('reports a refused token as unauthorized, and tries again with the renewed session', () => {
    sut.connect(aChatSession({ accessToken: 'expired' }));
    const socket = sockets.created[0]!.socket as FakeSocket;
    socket.active = false;
    socket.fire('connect_error', new Error('unauthorized'));
    expect(states.at(-1)).toBe('unauthorized');

    sut.connect(aChatSession({ accessToken: 'renewed' }));

    expect(socket.connectCalls).toBe(1);
    expect(handshakeToken()).toEqual({ token: 'renewed' });
  });

  it('calls a failed attempt that socket.io retries by itself a disconnection', () => {
    sut.connect(aChatSession());
    const socket = sockets.created[0]!.socket as FakeSocket;

    socket.fire('connect_error', new Error('xhr poll error'));

    expect(states.at(-1)).toBe('disconnected');
  });

  it('reconnects a second after the server closed the socket itself', () => {
    vi.useFakeTimers();
    const socket = connected();

    socket.fire('disconnect', 'io server disconnect');
    vi.advanceTimersByTime(1_000);

    expect(socket.connectCalls).toBe(1);
  });

  it('tries again at once when the browser comes back online', () => {
    const socket = connected();
    socket.connected = false;
    socket.fire('disconnect', 'transport close');

    window.dispatchEvent(new Event('online'));

    expect(socket.disconnectCalls).toBe(1);
    expect(socket.connectCalls).toBe(1);
  });

  it('joins and sends with acknowledgements, and returns their data', async () => {
    const socket = connected();
    const message = aMessage({ seq: 4 });
    socket.ack = async (event) =>
      event === ChatEvent.Join
        ? { ok: true, data: { messages: [message], read: { customer: 1, agent: 2 } } }
        : { ok: true, data: { message, duplicate: false } };

    await expect(sut.join('7', 3)).resolves.toEqual({ messages: [message], read: { customer: 1, agent: 2 } });
    await expect(sut.send({ conversationId: '7', clientId: 'c-1', body: 'Hi' })).resolves.toEqual({
      message,
      duplicate: false,
    });
    expect(socket.emitted).toEqual([
      { event: ChatEvent.Join, payload: { conversationId: '7', afterSeq: 3 }, volatile: false },
      {
        event: ChatEvent.Send,
        payload: { conversationId: '7', clientId: 'c-1', body: 'Hi' },
        volatile: false,
      },
    ]);
  });

  it("rejects with the server's code and message when it refuses", async () => {
    const socket = connected();
    socket.ack = async () => ({
      ok: false,
      error: { code: ErrorCode.ChatMessageTooLong, message: 'A message can be at most 2000 characters' },
    });

    const error = await sut
      .send({ conversationId: '7', clientId: 'c-1', body: 'x' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChatRequestError);
    expect(error).toMatchObject({ code: ErrorCode.ChatMessageTooLong, unanswered: false });
  });

  it('rejects as unanswered when the acknowledgement never comes', async () => {
    const socket = connected();
    socket.ack = async () => {
      throw new Error('operation has timed out');
    };

    await expect(sut.read('7', 5)).rejects.toMatchObject({ code: 'client/network_error', unanswered: true });
  });

  it('sends nothing while disconnected (socket.io would buffer it), and says so', async () => {
    sut.connect(aChatSession());
    const socket = sockets.created[0]!.socket as FakeSocket;

    await expect(sut.send({ conversationId: '7', clientId: 'c-1', body: 'Hi' })).rejects.toMatchObject({
      unanswered: true,
    });
    sut.typing('7', true);

    expect(socket.emitted).toEqual([]);
  });

  it('sends typing as a volatile event', () => {
    const socket = connected();

    sut.typing('7', true);

    expect(socket.emitted).toEqual([
      { event: ChatEvent.Typing, payload: { conversationId: '7', typing: true }, volatile: true },
    ]);
  });

  it("passes on the server's events to its listeners until they unsubscribe", () => {
    const socket = connected();
    const messages: unknown[] = [];
    const typing: unknown[] = [];
    const reads: unknown[] = [];
    const stop = sut.onMessage((message) => messages.push(message));
    sut.onTyping((change) => typing.push(change));
    sut.onRead((change) => reads.push(change));
    const message = aMessage({ seq: 2 });

    socket.fire(ChatEvent.Message, message);
    socket.fire(ChatEvent.TypingChanged, { conversationId: '7', role: 'agent', name: 'Grace', typing: true });
    socket.fire(ChatEvent.ReadChanged, { conversationId: '7', role: 'agent', seq: 2 });
    stop();
    socket.fire(ChatEvent.Message, aMessage({ seq: 3 }));

    expect(messages).toEqual([message]);
    expect(typing).toHaveLength(1);
    expect(reads).toHaveLength(1);
  });

  it('closes the socket and stops listening on disconnect', () => {
    const socket = connected();

    sut.disconnect();
    window.dispatchEvent(new Event('online'));

    expect(socket.disconnectCalls).toBe(1);
    expect(socket.handlers.size).toBe(0);
  });
});
