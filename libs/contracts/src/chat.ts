/** The customer's order chat and the agent side of it: REST shapes and socket.io events. */

/** `POST /api/chat/session` body: the chat link's conversation id and token. */
export interface ChatSessionRequest {
  conversationId: string;
  token: string;
}

export type ChatTransportName = 'socket' | 'vonage';

/** `POST /api/chat/session` answer. Renew before `expiresIn` seconds by posting the link again. */
export interface ChatSessionResponse {
  accessToken: string;
  expiresIn: number;
  conversationId: string;
  customer: { id: string; name: string };
  transport: ChatTransportName;
}

export interface OrderLineView {
  name: string;
  quantity: number;
  /** Minor units (cents) of `currency`. */
  unitPrice: number;
}

export interface OrderView {
  id: string;
  currency: string;
  /** Minor units. */
  total: number;
  createdAt: string;
  items: OrderLineView[];
}

export type ChatAuthorRole = 'customer' | 'agent' | 'system';

/** One entry of a conversation's thread: a text message or an event (order-confirm, status change). */
export interface ChatMessage {
  id: string;
  /** Position in the conversation, 1, 2, 3 …; a reconnecting client asks for everything after the last it saw. */
  seq: number;
  conversationId: string;
  kind: 'text' | 'event';
  author: { role: ChatAuthorRole; id: string | null; name: string | null };
  body: string;
  /** For events: `{ type: 'order-confirm', orderId, items, total, currency, text }` or `{ type: 'status_changed', … }`. */
  payload: Record<string, unknown>;
  /** The id the sending client chose, echoed so it can match its pending copy. */
  clientId: string | null;
  createdAt: string;
}

/** `GET /api/chat/conversations/:id`: everything the chat page shows. */
export interface ConversationView {
  id: string;
  status: 'open' | 'pending' | 'resolved';
  customer: { id: string; name: string };
  /** Newest first. */
  orders: OrderView[];
  /** Oldest first; the latest `limit` (see `hasEarlier`). */
  messages: ChatMessage[];
  hasEarlier: boolean;
  /** Highest `seq` each side has read. */
  read: { customer: number; agent: number };
}

/** Socket.io event names. Client → server events are acknowledged with a `ChatAck`. */
export const ChatEvent = {
  Join: 'conversation:join',
  Send: 'message:send',
  Typing: 'typing',
  Read: 'read',
  /** Server → client. */
  Message: 'message:new',
  TypingChanged: 'typing:changed',
  ReadChanged: 'read:changed',
} as const;

export interface JoinRequest {
  conversationId: string;
  /** The last `seq` this client has; the ack carries everything after it. */
  afterSeq?: number;
}

export interface SendRequest {
  conversationId: string;
  /** A UUID the client made for this message; resending it after a reconnect never duplicates. */
  clientId: string;
  body: string;
}

export interface TypingRequest {
  conversationId: string;
  typing: boolean;
}

export interface ReadRequest {
  conversationId: string;
  seq: number;
}

export interface TypingChanged {
  conversationId: string;
  role: 'customer' | 'agent';
  name: string | null;
  typing: boolean;
}

export interface ReadChanged {
  conversationId: string;
  role: 'customer' | 'agent';
  seq: number;
}

export interface ChatError {
  code: string;
  message: string;
}

export type ChatAck<T> = { ok: true; data: T } | { ok: false; error: ChatError };

/** Longest chat message, in characters. */
export const CHAT_MESSAGE_MAX_LENGTH = 2000;
