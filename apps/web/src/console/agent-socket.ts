import {
  type ChatAck,
  ChatEvent,
  type ChatMessage,
  type InboxChanged,
  InboxEvent,
  type ReadChanged,
  type TypingChanged,
} from '@switchboard/contracts';
import { io, type Socket } from 'socket.io-client';

/** `unauthorized`: the handshake was refused (an expired token); the caller refreshes and calls `connect` again. */
export type LiveState = 'connecting' | 'live' | 'offline' | 'unauthorized';

export interface LiveHandlers {
  state(state: LiveState): void;
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
  join(conversationId: string, afterSeq: number): Promise<JoinedConversation>;
  typing(conversationId: string, typing: boolean): void;
  disconnect(): void;
}

export type LiveChannelFactory = (handlers: LiveHandlers, token: () => string | null) => LiveChannel;

const ACK_TIMEOUT_MS = 10_000;

/**
 * The console's socket.io connection. Every agent socket hears `inbox:changed` for every ticket; a
 * `conversation:join` adds the open ticket's messages, typing and read markers. The token is read at
 * each (re)connection, so a refreshed one is used from then on.
 */
export class AgentSocket implements LiveChannel {
  private socket: Socket | undefined;

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
      reconnectionDelayMax: 5_000,
    });
    this.socket = socket;
    this.handlers.state('connecting');
    socket.on('connect', () => this.handlers.state('live'));
    socket.on('disconnect', (reason) => {
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
