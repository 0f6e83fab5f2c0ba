import {
  type ChatAck,
  ChatEvent,
  type ChatMessage,
  type ChatSessionResponse,
  type ReadChanged,
  type SendRequest,
  type SessionEnded,
  type TypingChanged,
} from '@switchboard/contracts';
import { io, type Socket } from 'socket.io-client';

import { ClientErrorCode } from '../api/http';
import { SOCKET_OPTIONS } from '../api/socket-options';
import {
  ChatRequestError,
  type ChatTransport,
  type ConnectionState,
  type JoinResult,
  type SendResult,
  type Unsubscribe,
} from './chat-transport';

/** How long a request waits for the server's acknowledgement before it counts as unanswered. */
const ACK_TIMEOUT_MS = 10_000;
/** The gateway's answer to a handshake without a valid session token. */
const UNAUTHORIZED = 'unauthorized';

/**
 * Our own chat: the API's socket.io gateway, on the page's origin at `/socket.io`, over WebSocket only
 * (the API serves no long-polling). The socket lives as long as the session: a renewed one is handed
 * over with `session:renew`; when the server ends it (expired unrenewed, or the chat links withdrawn)
 * the transport reports `unauthorized`, and the store renews the session with the link, or shows why not.
 */
export class SocketTransport implements ChatTransport {
  private socket: Socket | undefined;
  private session: ChatSessionResponse | undefined;
  /** The server said it is closing the socket because the session ended, until the next connection. */
  private sessionEnded = false;
  private readonly messageListeners = new Set<(message: ChatMessage) => void>();
  private readonly typingListeners = new Set<(change: TypingChanged) => void>();
  private readonly readListeners = new Set<(change: ReadChanged) => void>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  connect(session: ChatSessionResponse): void {
    const renewed = this.session !== undefined && this.session.accessToken !== session.accessToken;
    this.session = session;
    if (!this.socket) {
      this.socket = this.open();
      addEventListener('online', this.reconnectNow);
    } else if (this.socket.connected) {
      // Live: hand the new token over, so the server does not close the socket when the old one expires.
      if (renewed && !this.sessionEnded) this.renew(session.accessToken);
    } else if (!this.socket.active) {
      // Refused at the handshake: socket.io leaves it to us to try again.
      this.notify('connecting');
      this.socket.connect();
    }
  }

  join(conversationId: string, afterSeq: number): Promise<JoinResult> {
    return this.request<JoinResult>(ChatEvent.Join, { conversationId, afterSeq });
  }

  send(request: SendRequest): Promise<SendResult> {
    return this.request<SendResult>(ChatEvent.Send, request);
  }

  typing(conversationId: string, typing: boolean): void {
    if (this.socket?.connected) this.socket.volatile.emit(ChatEvent.Typing, { conversationId, typing });
  }

  async read(conversationId: string, seq: number): Promise<void> {
    await this.request<null>(ChatEvent.Read, { conversationId, seq });
  }

  onMessage(listener: (message: ChatMessage) => void): Unsubscribe {
    return subscribe(this.messageListeners, listener);
  }

  onTyping(listener: (change: TypingChanged) => void): Unsubscribe {
    return subscribe(this.typingListeners, listener);
  }

  onRead(listener: (change: ReadChanged) => void): Unsubscribe {
    return subscribe(this.readListeners, listener);
  }

  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe {
    return subscribe(this.connectionListeners, listener);
  }

  disconnect(): void {
    removeEventListener('online', this.reconnectNow);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    for (const listeners of [
      this.messageListeners,
      this.typingListeners,
      this.readListeners,
      this.connectionListeners,
    ]) {
      listeners.clear();
    }
  }

  private open(): Socket {
    // `auth` as a function is read at every (re)connection, so a renewed session is used from then on.
    const socket = io({
      auth: (send) => send({ token: this.session?.accessToken }),
      ...SOCKET_OPTIONS,
    });
    this.notify('connecting');
    socket.on('connect', () => {
      this.sessionEnded = false;
      this.notify('connected');
    });
    socket.on(ChatEvent.SessionEnded, (_ended: SessionEnded) => {
      this.sessionEnded = true;
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && this.sessionEnded) {
        // Expired or revoked: only a renewed session (`connect` again) can bring the socket back.
        this.notify('unauthorized');
        return;
      }
      this.notify('disconnected');
      // A server that closed us deliberately (e.g. shutting down for a deploy) gets no automatic retry.
      if (reason === 'io server disconnect') setTimeout(() => this.socket?.connect(), 1_000);
    });
    socket.on('connect_error', (error) => {
      if (socket.active) this.notify('disconnected');
      else this.notify(error.message === UNAUTHORIZED ? 'unauthorized' : 'disconnected');
    });
    socket.on(ChatEvent.Message, (message: ChatMessage) => emit(this.messageListeners, message));
    socket.on(ChatEvent.TypingChanged, (change: TypingChanged) => emit(this.typingListeners, change));
    socket.on(ChatEvent.ReadChanged, (change: ReadChanged) => emit(this.readListeners, change));
    return socket;
  }

  /** Fire and forget: when it does not arrive, the server ends the socket and a reconnect renews it. */
  private renew(token: string): void {
    this.socket
      ?.timeout(ACK_TIMEOUT_MS)
      .emitWithAck(ChatEvent.RenewSession, { token })
      .catch(() => {});
  }

  /**
   * Back online (a phone leaving a tunnel): try now instead of waiting out socket.io's back-off.
   * Dropping the socket resets the manager's back-off; `connect()` then starts a fresh attempt.
   */
  private readonly reconnectNow = (): void => {
    const socket = this.socket;
    if (!socket || socket.connected) return;
    socket.disconnect();
    this.notify('connecting');
    socket.connect();
  };

  private async request<T>(event: string, payload: unknown): Promise<T> {
    const socket = this.socket;
    // socket.io would buffer it until the next connection; the store resends its own queue instead.
    if (!socket?.connected) {
      throw new ChatRequestError(ClientErrorCode.Network, 'Not connected to the chat.');
    }
    let ack: ChatAck<T>;
    try {
      ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as ChatAck<T>;
    } catch (cause) {
      throw new ChatRequestError(ClientErrorCode.Network, 'The chat server did not answer.', { cause });
    }
    if (!ack.ok) throw new ChatRequestError(ack.error.code, ack.error.message);
    return ack.data;
  }

  private notify(state: ConnectionState): void {
    emit(this.connectionListeners, state);
  }
}

function subscribe<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void): Unsubscribe {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of [...listeners]) listener(value);
}
