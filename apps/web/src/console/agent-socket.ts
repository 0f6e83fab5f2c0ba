import {
  type ChatAck,
  ChatEvent,
  type ChatMessage,
  type InboxChanged,
  InboxEvent,
  type ReadChanged,
  type SessionEnded,
  type TypingChanged,
} from '@switchboard/contracts';
import { io, type Socket } from 'socket.io-client';

import { SOCKET_OPTIONS } from '../api/socket-options';

/**
 * `unauthorized`: the handshake was refused (an expired token), or the server closed the socket when
 * its token expired without a renewal (a sleeping tab); the caller refreshes and calls `connect` again.
 */
export type LiveState = 'connecting' | 'live' | 'offline' | 'unauthorized';

export interface LiveHandlers {
  state(state: LiveState): void;
  /** The server ended this sign-in (signed out elsewhere, agent disabled): it will not come back. */
  revoked(): void;
  inboxChanged(change: InboxChanged): void;
  message(message: ChatMessage): void;
  typing(change: TypingChanged): void;
  read(change: ReadChanged): void;
}

export interface JoinedConversation {
  messages: ChatMessage[];
  read: { customer: number; agent: number };
}

/** What the console needs from its live connection; tests give the live store a fake. */
export interface LiveChannel {
  connect(): void;
  /** A refreshed access token for the live connection, so the server does not close it at the old one's expiry. */
  renew(token: string): Promise<void>;
  join(conversationId: string, afterSeq: number): Promise<JoinedConversation>;
  /** The ticket on screen now (null: none), so a customer opening it sends nobody an SMS alert. */
  view(ticketId: string | null): Promise<void>;
  typing(conversationId: string, typing: boolean): void;
  disconnect(): void;
}

export type LiveChannelFactory = (handlers: LiveHandlers, token: () => string | null) => LiveChannel;

const ACK_TIMEOUT_MS = 10_000;

/**
 * The console's socket.io connection (WebSocket only: the API serves no long-polling). Every agent
 * socket hears `inbox:changed` for every ticket; a `conversation:join` adds the open ticket's messages,
 * typing and read markers. The server closes a socket when its session ends: a refreshed token is
 * handed over with `session:renew` (and read at each reconnection), a revoked session is the end.
 */
export class AgentSocket implements LiveChannel {
  private socket: Socket | undefined;
  /** Why the server said it is about to close the socket, until the next connection. */
  private ended: SessionEnded['reason'] | null = null;

  constructor(
    private readonly handlers: LiveHandlers,
    private readonly token: () => string | null,
  ) {}

  connect(): void {
    if (this.socket) {
      if (!this.socket.connected && !this.socket.active) {
        this.handlers.state('connecting');
        this.socket.connect();
      }
      return;
    }
    const socket = io({
      auth: (send) => send({ token: this.token() }),
      ...SOCKET_OPTIONS,
    });
    this.socket = socket;
    this.handlers.state('connecting');
    socket.on('connect', () => {
      this.ended = null;
      this.handlers.state('live');
    });
    socket.on(ChatEvent.SessionEnded, (ended: SessionEnded) => {
      this.ended = ended.reason;
      if (ended.reason === 'revoked') this.handlers.revoked();
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && this.ended) {
        // Expired: the token ran out before a renewal arrived; a fresh one brings the socket back.
        this.handlers.state(this.ended === 'expired' ? 'unauthorized' : 'offline');
        return;
      }
      this.handlers.state('offline');
      if (reason === 'io server disconnect') setTimeout(() => this.socket?.connect(), 1_000);
    });
    socket.on('connect_error', (error) => {
      // socket.active: socket.io retries by itself; otherwise the server refused the handshake.
      if (socket.active) this.handlers.state('offline');
      else this.handlers.state(error.message === 'unauthorized' ? 'unauthorized' : 'offline');
    });
    // One change, or (batched by the server) an array of them, one per ticket.
    socket.on(InboxEvent.Changed, (changes: InboxChanged | InboxChanged[]) => {
      for (const change of Array.isArray(changes) ? changes : [changes]) this.handlers.inboxChanged(change);
    });
    socket.on(ChatEvent.Message, (message: ChatMessage) => this.handlers.message(message));
    socket.on(ChatEvent.TypingChanged, (change: TypingChanged) => this.handlers.typing(change));
    socket.on(ChatEvent.ReadChanged, (change: ReadChanged) => this.handlers.read(change));
    addEventListener('online', this.reconnectNow);
  }

  async join(conversationId: string, afterSeq: number): Promise<JoinedConversation> {
    const socket = this.socket;
    if (!socket?.connected) throw new Error('Not connected');
    const ack = (await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(ChatEvent.Join, { conversationId, afterSeq })) as ChatAck<JoinedConversation>;
    if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
    return ack.data;
  }

  async view(ticketId: string | null): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) throw new Error('Not connected');
    const ack = (await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(ChatEvent.View, { ticketId })) as ChatAck<null>;
    if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  }

  async renew(token: string): Promise<void> {
    const socket = this.socket;
    // Not connected: the next handshake reads the current token anyway.
    if (!socket?.connected) return;
    const ack = (await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(ChatEvent.RenewSession, { token })) as ChatAck<{ expiresAt: string }>;
    if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  }

  typing(conversationId: string, typing: boolean): void {
    if (this.socket?.connected) this.socket.volatile.emit(ChatEvent.Typing, { conversationId, typing });
  }

  disconnect(): void {
    removeEventListener('online', this.reconnectNow);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  /** Back online: try now rather than waiting out socket.io's back-off. */
  private readonly reconnectNow = (): void => {
    const socket = this.socket;
    if (!socket || socket.connected) return;
    socket.disconnect();
    this.handlers.state('connecting');
    socket.connect();
  };
}

export const createAgentSocket: LiveChannelFactory = (handlers, token) => new AgentSocket(handlers, token);
