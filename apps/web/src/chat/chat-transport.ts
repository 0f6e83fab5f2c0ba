import type {
  ChatMessage,
  ChatSessionResponse,
  ReadChanged,
  SendRequest,
  TypingChanged,
} from '@switchboard/contracts';

import { ClientErrorCode } from '../api/http';

/** Highest `seq` each side has read. */
export interface ReadMarkers {
  customer: number;
  agent: number;
}

/** A join's answer: every message after the `seq` the client asked from, and both read markers. */
export interface JoinResult {
  messages: ChatMessage[];
  read: ReadMarkers;
}

/** A send's answer: the stored message (with its id and `seq`); `duplicate` when the client id was seen before. */
export interface SendResult {
  message: ChatMessage;
  duplicate: boolean;
}

/**
 * - `connecting`: on the way to a connection (first time or again).
 * - `connected`: live; the client joins its conversation to catch up and receive.
 * - `disconnected`: lost; the transport keeps retrying by itself.
 * - `unauthorized`: the server refused the session token, or ended the session (expired without a
 *   renewal, or revoked); `connect()` again with a renewed session.
 */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'unauthorized';

export type Unsubscribe = () => void;

/**
 * The live side of the chat, whatever carries it (our socket.io gateway today, another provider later).
 * Requests reject with a `ChatRequestError`; the page and the store never see the provider's SDK.
 */
export interface ChatTransport {
  /**
   * True when the messages and their `seq` come from the transport's own provider (Vonage numbers its
   * events itself): the page then takes the history from `join`, not from our API's conversation view.
   */
  readonly ownsHistory?: boolean;
  /**
   * Starts connecting with this session and keeps reconnecting after a drop. Called again with a
   * renewed session, it hands the new token to the live connection and uses it from the next connection
   * on (and reconnects if it was refused).
   */
  connect(session: ChatSessionResponse): void;
  /** Subscribes to the conversation and returns what happened after `afterSeq`. Call after every `connected`. */
  join(conversationId: string, afterSeq: number): Promise<JoinResult>;
  send(request: SendRequest): Promise<SendResult>;
  /** Fire and forget: a lost typing signal is not worth a retry. */
  typing(conversationId: string, typing: boolean): void;
  read(conversationId: string, seq: number): Promise<void>;
  /** Every new message of the joined conversation, the client's own included. */
  onMessage(listener: (message: ChatMessage) => void): Unsubscribe;
  /** The other side started or stopped typing. */
  onTyping(listener: (change: TypingChanged) => void): Unsubscribe;
  onRead(listener: (change: ReadChanged) => void): Unsubscribe;
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe;
  /** Closes the connection for good and drops every listener. */
  disconnect(): void;
}

/**
 * A chat request that failed: the server's code and message (`chat/rate_limited`, …), or
 * `client/network_error` when no answer came back (not connected, timed out, dropped on the way).
 */
export class ChatRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChatRequestError';
  }

  /** The request may or may not have arrived; resending it (same client id) is safe and may succeed. */
  get unanswered(): boolean {
    return this.code === ClientErrorCode.Network;
  }
}
