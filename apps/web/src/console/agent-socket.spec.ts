import { ChatEvent, ErrorCode } from '@switchboard/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { FakeSocket } from '../testing/fake-socket';
import { AgentSocket, type LiveHandlers, type LiveState } from './agent-socket';

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

describe(AgentSocket.name, () => {
  let sut: AgentSocket;
  let states: LiveState[];
  let revocations: number;
  let token: string;

  beforeEach(() => {
    sockets.created = [];
    states = [];
    revocations = 0;
    token = 'token-1';
    const handlers: LiveHandlers = {
      state: (state) => states.push(state),
      revoked: () => (revocations += 1),
      inboxChanged: () => {},
      message: () => {},
      typing: () => {},
      read: () => {},
    };
    sut = new AgentSocket(handlers, () => token);
  });

  afterEach(() => {
    sut.disconnect();
    vi.useRealTimers();
  });

  function connected(): FakeSocket {
    sut.connect();
    const socket = sockets.created[0]!.socket as FakeSocket;
    socket.connected = true;
    socket.fire('connect');
    return socket;
  }

  function serverCloses(socket: FakeSocket): void {
    socket.connected = false;
    socket.active = false;
    socket.fire('disconnect', 'io server disconnect');
  }

  it('connects over WebSocket only, with the current token at every handshake', () => {
    sut.connect();
    const { options } = sockets.created[0]!;
    let sent: unknown;
    (options.auth as (send: (data: unknown) => void) => void)((data) => (sent = data));

    expect(options.transports).toEqual(['websocket']);
    expect(sent).toEqual({ token: 'token-1' });
  });

  it('hands a refreshed token to the live socket with session:renew', async () => {
    const socket = connected();
    socket.ack = async () => ({ ok: true, data: { expiresAt: '2026-03-02T10:15:00.000Z' } });

    await sut.renew('token-2');

    expect(socket.emitted).toEqual([
      { event: ChatEvent.RenewSession, payload: { token: 'token-2' }, volatile: false },
    ]);
  });

  it('rejects a renewal the server refuses', async () => {
    const socket = connected();
    socket.ack = async () => ({ ok: false, error: { code: ErrorCode.Forbidden, message: 'someone else' } });

    await expect(sut.renew('token-2')).rejects.toThrow(ErrorCode.Forbidden);
  });

  it('says nothing while disconnected: the next handshake reads the new token anyway', async () => {
    sut.connect();
    const socket = sockets.created[0]!.socket as FakeSocket;

    await sut.renew('token-2');

    expect(socket.emitted).toEqual([]);
  });

  it('reports a revoked session, and does not reconnect after the server closes the socket', () => {
    vi.useFakeTimers();
    const socket = connected();

    socket.fire(ChatEvent.SessionEnded, { reason: 'revoked' });
    serverCloses(socket);
    vi.advanceTimersByTime(5_000);

    expect(revocations).toBe(1);
    expect(states.at(-1)).toBe('offline');
    expect(socket.connectCalls).toBe(0);
  });

  it('reports an expired session as unauthorized (refresh, then connect again)', () => {
    vi.useFakeTimers();
    const socket = connected();

    socket.fire(ChatEvent.SessionEnded, { reason: 'expired' });
    serverCloses(socket);
    vi.advanceTimersByTime(5_000);

    expect(revocations).toBe(0);
    expect(states.at(-1)).toBe('unauthorized');
    expect(socket.connectCalls).toBe(0);
    token = 'token-2';
    sut.connect();
    expect(socket.connectCalls).toBe(1);
  });

  it('reconnects a second after the server closed the socket for another reason (a deploy)', () => {
    vi.useFakeTimers();
    const socket = connected();

    serverCloses(socket);
    vi.advanceTimersByTime(1_000);

    expect(states.at(-1)).toBe('offline');
    expect(socket.connectCalls).toBe(1);
  });
});
