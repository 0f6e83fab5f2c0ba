import type {
  ChatMessage,
  ChatSessionResponse,
  ConversationView,
  OrderView,
  ReadChanged,
  SendRequest,
  TypingChanged,
} from '@switchboard/contracts';

import { ClientErrorCode } from '../api/http';
import {
  ChatRequestError,
  type ChatTransport,
  type ConnectionState,
  type JoinResult,
  type SendResult,
  type Unsubscribe,
} from '../chat/chat-transport';

export const CONVERSATION_ID = '7';
export const ORDER_ID = '42';

export function aChatSession(overrides: Partial<ChatSessionResponse> = {}): ChatSessionResponse {
  return {
    accessToken: 'session-1',
    expiresIn: 900,
    conversationId: CONVERSATION_ID,
    customer: { id: '3', name: 'Ada Lovelace' },
    transport: 'socket',
    ...overrides,
  };
}

export function anOrder(overrides: Partial<OrderView> = {}): OrderView {
  return {
    id: ORDER_ID,
    currency: 'USD',
    total: 1497,
    createdAt: '2026-03-01T10:00:00.000Z',
    items: [
      { name: 'Widget', quantity: 2, unitPrice: 499 },
      { name: 'Gizmo', quantity: 1, unitPrice: 499 },
    ],
    ...overrides,
  };
}

let nextId = 1000;

export function aMessage(overrides: Partial<ChatMessage> & Pick<ChatMessage, 'seq'>): ChatMessage {
  nextId += 1;
  return {
    id: `m-${overrides.seq}-${nextId}`,
    conversationId: CONVERSATION_ID,
    kind: 'text',
    author: { role: 'agent', id: '9', name: 'Grace' },
    body: `Message ${overrides.seq}`,
    payload: {},
    clientId: null,
    createdAt: '2026-03-01T10:05:00.000Z',
    ...overrides,
  };
}

export function anOrderConfirmation(seq: number, order: OrderView = anOrder()): ChatMessage {
  return aMessage({
    seq,
    kind: 'event',
    author: { role: 'system', id: null, name: null },
    body: '',
    payload: {
      type: 'order-confirm',
      orderId: order.id,
      items: order.items,
      total: order.total,
      currency: order.currency,
      text: 'order text',
    },
    createdAt: order.createdAt,
  });
}

export function aConversation(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: CONVERSATION_ID,
    status: 'pending',
    customer: { id: '3', name: 'Ada Lovelace' },
    orders: [anOrder()],
    messages: [anOrderConfirmation(1)],
    hasEarlier: false,
    read: { customer: 0, agent: 0 },
    ...overrides,
  };
}

/**
 * A `ChatTransport` the test drives: it plays the server (stores what is sent, answers joins from what
 * it holds, de-duplicates by client id) and lets the test decide when the connection comes and goes.
 */
export class FakeChatTransport implements ChatTransport {
  /** What the server has stored, in `seq` order. */
  readonly stored: ChatMessage[];
  readonly sessions: ChatSessionResponse[] = [];
  readonly joins: number[] = [];
  readonly sends: SendRequest[] = [];
  readonly typingSignals: boolean[] = [];
  readonly reads: number[] = [];
  disconnected = false;
  connected = false;
  /** Replaces the server's answer to a send (e.g. a refusal, or an answer that never comes). */
  sendHandler: ((request: SendRequest) => Promise<SendResult>) | undefined;
  /** When false, the server stores and acknowledges a send but does not broadcast it. */
  echo = true;

  private readonly listeners = {
    message: new Set<(message: ChatMessage) => void>(),
    typing: new Set<(change: TypingChanged) => void>(),
    read: new Set<(change: ReadChanged) => void>(),
    connection: new Set<(state: ConnectionState) => void>(),
  };

  constructor(stored: ChatMessage[] = [anOrderConfirmation(1)]) {
    this.stored = [...stored];
  }

  connect(session: ChatSessionResponse): void {
    this.sessions.push(session);
  }

  async join(_conversationId: string, afterSeq: number): Promise<JoinResult> {
    this.requireConnection();
    this.joins.push(afterSeq);
    return {
      messages: this.stored.filter((message) => message.seq > afterSeq),
      read: { customer: 0, agent: 0 },
    };
  }

  async send(request: SendRequest): Promise<SendResult> {
    this.requireConnection();
    this.sends.push(request);
    if (this.sendHandler) return this.sendHandler(request);
    return this.store(request);
  }

  /** The server's own handling of a send: store once per client id, broadcast, acknowledge. */
  store(request: SendRequest): SendResult {
    const existing = this.stored.find((message) => message.clientId === request.clientId);
    if (existing) return { message: existing, duplicate: true };
    const message = aMessage({
      seq: this.lastSeq + 1,
      author: { role: 'customer', id: '3', name: 'Ada Lovelace' },
      body: request.body,
      clientId: request.clientId,
    });
    this.stored.push(message);
    if (this.echo) this.deliver(message);
    return { message, duplicate: false };
  }

  typing(_conversationId: string, typing: boolean): void {
    this.typingSignals.push(typing);
  }

  async read(_conversationId: string, seq: number): Promise<void> {
    this.requireConnection();
    this.reads.push(seq);
  }

  onMessage(listener: (message: ChatMessage) => void): Unsubscribe {
    return this.add(this.listeners.message, listener);
  }

  onTyping(listener: (change: TypingChanged) => void): Unsubscribe {
    return this.add(this.listeners.typing, listener);
  }

  onRead(listener: (change: ReadChanged) => void): Unsubscribe {
    return this.add(this.listeners.read, listener);
  }

  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe {
    return this.add(this.listeners.connection, listener);
  }

  disconnect(): void {
    this.disconnected = true;
    this.connected = false;
  }

  get lastSeq(): number {
    return this.stored.at(-1)?.seq ?? 0;
  }

  setConnection(state: ConnectionState): void {
    this.connected = state === 'connected';
    for (const listener of this.listeners.connection) listener(state);
  }

  /** The agent (or anyone) wrote: stored and broadcast like the server does. */
  agentSays(body: string, options: { broadcast?: boolean } = {}): ChatMessage {
    const message = aMessage({ seq: this.lastSeq + 1, body });
    this.stored.push(message);
    if (options.broadcast ?? true) this.deliver(message);
    return message;
  }

  deliver(message: ChatMessage): void {
    for (const listener of this.listeners.message) listener(message);
  }

  typingChanged(change: Partial<TypingChanged>): void {
    const full: TypingChanged = {
      conversationId: CONVERSATION_ID,
      role: 'agent',
      name: 'Grace',
      typing: true,
      ...change,
    };
    for (const listener of this.listeners.typing) listener(full);
  }

  readChanged(change: Partial<ReadChanged> & Pick<ReadChanged, 'seq'>): void {
    const full: ReadChanged = { conversationId: CONVERSATION_ID, role: 'agent', ...change };
    for (const listener of this.listeners.read) listener(full);
  }

  private requireConnection(): void {
    if (!this.connected) throw new ChatRequestError(ClientErrorCode.Network, 'Not connected to the chat.');
  }

  private add<T>(set: Set<T>, listener: T): Unsubscribe {
    set.add(listener);
    return () => set.delete(listener);
  }
}
