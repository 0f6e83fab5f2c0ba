import type {
  ChatMessage,
  ChatSessionResponse,
  ReadChanged,
  SendRequest,
  TypingChanged,
} from '@switchboard/contracts';
import NexmoClient from 'nexmo-client';

import { ClientErrorCode } from '../api/http';
import {
  ChatRequestError,
  type ChatTransport,
  type ConnectionState,
  type JoinResult,
  type SendResult,
  type Unsubscribe,
} from './chat-transport';

/**
 * The part of `nexmo-client` 9 this transport uses. Its own typings leave out the event emitter that
 * every object mixes in (`on`/`off`), and the listener arguments since 8.0.
 */
export interface VonageEvent {
  id: string | number;
  type: string;
  from: string;
  body?: Record<string, unknown>;
  timestamp?: unknown;
}

export interface VonageConversation {
  me?: { id: string };
  on(event: string, listener: (sender: { displayName?: string }, event: VonageEvent) => void): void;
  off(event: string): void;
  sendMessage(message: { message_type: 'text'; text: string }): Promise<VonageEvent>;
  getEvents(params: { page_size: number; order: 'asc' | 'desc' }): Promise<VonageEventsPage>;
}

export interface VonageEventsPage {
  items: Map<string, VonageEvent>;
  hasNext(): boolean;
  getNext(): Promise<VonageEventsPage>;
}

export interface VonageApplication {
  on(event: string, group: string, listener: (error: unknown) => void): void;
  getConversation(id: string): Promise<VonageConversation>;
  updateToken(token: string): Promise<void>;
}

export interface VonageClient {
  on(event: 'ready' | 'disconnect' | 'reconnect' | 'reconnecting', listener: () => void): void;
  createSession(token: string): Promise<VonageApplication>;
  deleteSession(): Promise<unknown>;
}

type VonageClientConstructor = new (options: Record<string, unknown>) => VonageClient;

/** The custom event our server posts an order confirmation as; nexmo-client drops the `custom:` prefix. */
const ORDER_CONFIRM = 'order-confirm-event';
/** Event types that become thread entries. */
const THREAD_EVENTS = ['message', 'text', ORDER_CONFIRM];
const HISTORY_PAGE = 100;
/** After a failed start (Vonage unreachable), try again this much later. */
const RETRY_MS = 5_000;

/**
 * The chat over Vonage Conversations with `nexmo-client`, for accounts that still have Vonage In-App
 * Messaging (discontinued 2026-04-30). Loaded only for sessions that say `vonage`, as its own chunk.
 *
 * Vonage numbers the events of a conversation, so a message's `seq` here is its Vonage event id and
 * the history comes from Vonage (`ownsHistory`), not from our API. Agents are not on Vonage: their
 * replies arrive as the desk's events. Typing and read signals are not carried in this mode.
 */
export class VonageTransport implements ChatTransport {
  readonly ownsHistory = true;
  private client: VonageClient | undefined;
  private application: VonageApplication | undefined;
  private conversation: VonageConversation | undefined;
  private session: ChatSessionResponse | undefined;
  private starting: Promise<void> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private state: ConnectionState = 'connecting';
  private readonly messageListeners = new Set<(message: ChatMessage) => void>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  constructor(
    private readonly Client: VonageClientConstructor = NexmoClient as unknown as VonageClientConstructor,
  ) {}

  connect(session: ChatSessionResponse): void {
    this.session = session;
    if (this.application && this.state !== 'unauthorized') {
      // A renewed session: the next requests and reconnections use the new token.
      void this.application.updateToken(this.vonage().token).catch(() => undefined);
      return;
    }
    this.starting ??= this.start().finally(() => (this.starting = undefined));
  }

  /** Everything after `afterSeq` (a Vonage event id) from the conversation's history. */
  async join(conversationId: string, afterSeq: number): Promise<JoinResult> {
    const conversation = this.joined(conversationId);
    const messages: ChatMessage[] = [];
    try {
      let page = await conversation.getEvents({ page_size: HISTORY_PAGE, order: 'asc' });
      for (;;) {
        for (const event of page.items.values()) {
          const message = this.toMessage(event);
          if (message && message.seq > afterSeq) messages.push(message);
        }
        if (!page.hasNext()) break;
        page = await page.getNext();
      }
    } catch (cause) {
      throw unanswered('The chat history could not be loaded from Vonage.', cause);
    }
    return { messages: messages.sort((a, b) => a.seq - b.seq), read: { customer: 0, agent: 0 } };
  }

  async send(request: SendRequest): Promise<SendResult> {
    const conversation = this.joined(request.conversationId);
    let event: VonageEvent;
    try {
      event = await conversation.sendMessage({ message_type: 'text', text: request.body });
    } catch (cause) {
      throw unanswered('Vonage did not take the message.', cause);
    }
    // What comes back may be only `{ id, timestamp }` (the POST's answer): the rest is what we sent.
    const message = this.toMessage({
      id: event.id,
      timestamp: event.timestamp,
      type: 'message',
      from: conversation.me?.id ?? '',
      body: { message_type: 'text', text: request.body },
    })!;
    return { message: { ...message, clientId: request.clientId }, duplicate: false };
  }

  typing(): void {
    // Agents answer from our console, not from Vonage: nobody there would see it.
  }

  async read(): Promise<void> {
    // Read markers are our own sequence numbers, which Vonage events do not have.
  }

  onMessage(listener: (message: ChatMessage) => void): Unsubscribe {
    return subscribe(this.messageListeners, listener);
  }

  onTyping(_listener: (change: TypingChanged) => void): Unsubscribe {
    return () => undefined;
  }

  onRead(_listener: (change: ReadChanged) => void): Unsubscribe {
    return () => undefined;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe {
    return subscribe(this.connectionListeners, listener);
  }

  disconnect(): void {
    clearTimeout(this.retryTimer);
    for (const type of THREAD_EVENTS) this.conversation?.off(type);
    void this.client?.deleteSession().catch(() => undefined);
    this.client = undefined;
    this.application = undefined;
    this.conversation = undefined;
    this.messageListeners.clear();
    this.connectionListeners.clear();
  }

  private async start(): Promise<void> {
    const { token, conversationId } = this.vonage();
    this.notify('connecting');
    try {
      // No log reporting or media statistics phoning home: this is a text chat.
      const client = (this.client ??= this.createClient());
      const application = await client.createSession(token);
      application.on('system:error:expired-token', 'NXM-errors', () => this.notify('unauthorized'));
      const conversation = await application.getConversation(conversationId);
      for (const type of THREAD_EVENTS) {
        conversation.on(type, (_sender, event) => {
          const message = this.toMessage(event);
          if (message) emit(this.messageListeners, message);
        });
      }
      if (!this.client) return; // disconnected meanwhile
      this.application = application;
      this.conversation = conversation;
      this.notify('connected');
    } catch (cause) {
      if (!this.client) return;
      if (isTokenError(cause)) {
        this.notify('unauthorized');
        return;
      }
      this.notify('disconnected');
      this.retryTimer = setTimeout(() => this.session && this.connect(this.session), RETRY_MS);
    }
  }

  private createClient(): VonageClient {
    const client = new this.Client({
      debug: false,
      log_reporter: { enabled: false },
      rtcstats: { remote_collection: false, emit_events: false },
    });
    client.on('disconnect', () => this.notify('disconnected'));
    client.on('reconnecting', () => this.notify('connecting'));
    client.on('reconnect', () => this.application && this.notify('connected'));
    return client;
  }

  private vonage(): NonNullable<ChatSessionResponse['vonage']> {
    const vonage = this.session?.vonage;
    if (!vonage)
      throw new ChatRequestError(
        ClientErrorCode.UnsupportedChatTransport,
        'This session is not a Vonage chat.',
      );
    return vonage;
  }

  private joined(conversationId: string): VonageConversation {
    if (!this.conversation || conversationId !== this.session?.conversationId) {
      throw new ChatRequestError(ClientErrorCode.Network, 'Not connected to the chat.');
    }
    return this.conversation;
  }

  /** A Vonage event as a thread entry, or undefined for one the thread does not show. */
  private toMessage(event: VonageEvent): ChatMessage | undefined {
    const seq = Number(event.id);
    if (!Number.isSafeInteger(seq)) return undefined;
    const mine = event.from === this.conversation?.me?.id;
    const base = {
      id: `vonage:${seq}`,
      seq,
      conversationId: this.session!.conversationId,
      clientId: null,
      createdAt: typeof event.timestamp === 'string' ? event.timestamp : new Date().toISOString(),
    };
    const body = event.body ?? {};
    if (event.type === ORDER_CONFIRM || event.type === `custom:${ORDER_CONFIRM}`) {
      const order = orderConfirmation(body);
      if (!order) return undefined;
      return {
        ...base,
        kind: 'event',
        author: { role: 'system', id: null, name: null },
        body: order.text,
        payload: order,
      };
    }
    if ((event.type !== 'message' && event.type !== 'text') || typeof body.text !== 'string')
      return undefined;
    if (event.type === 'message' && body.message_type !== 'text') return undefined;
    return {
      ...base,
      kind: 'text',
      author: mine
        ? { role: 'customer', id: this.session!.customer.id, name: this.session!.customer.name }
        : { role: 'agent', id: null, name: null },
      body: body.text,
      payload: {},
    };
  }

  private notify(state: ConnectionState): void {
    this.state = state;
    emit(this.connectionListeners, state);
  }
}

/** The server's snake_case order-confirm body, in the shape the thread shows (our API's payload). */
function orderConfirmation(body: Record<string, unknown>) {
  const { order_id: orderId, items, total, currency, text } = body;
  if (typeof orderId !== 'string' || !Array.isArray(items) || typeof total !== 'number') return undefined;
  if (typeof currency !== 'string' || typeof text !== 'string') return undefined;
  const lines = items.map((item: Record<string, unknown>) => ({
    name: item.name,
    quantity: item.quantity,
    unitPrice: item.unit_price,
  }));
  return { type: 'order-confirm', orderId, items: lines, total, currency, text };
}

function isTokenError(cause: unknown): boolean {
  const type = (cause as { type?: unknown } | null)?.type;
  return typeof type === 'string' && /token/.test(type);
}

function unanswered(message: string, cause: unknown): ChatRequestError {
  return new ChatRequestError(ClientErrorCode.Network, message, { cause });
}

function subscribe<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void): Unsubscribe {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of [...listeners]) listener(value);
}
