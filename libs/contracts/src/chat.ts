/** The customer's order chat and the agent side of it: REST shapes and socket.io events. */

/** `POST /api/chat/session` body: the chat link's conversation id and token. */
export interface ChatSessionRequest {
  conversationId: string;
  token: string;
}

export type ChatTransportName = 'socket' | 'vonage';

/**
 * What the browser needs to join the customer's Vonage conversation with `nexmo-client`: a Client SDK
 * JWT for the customer's Vonage user, narrowed to that conversation, and the conversation's Vonage id.
 */
export interface VonageChatSession {
  /** RS256 Client SDK JWT: `sub` is the customer's Vonage user name. */
  token: string;
  /** Seconds until the token expires (the session is renewed before, like the access token). */
  expiresIn: number;
  /** The Vonage conversation (`CON-…`). */
  conversationId: string;
  /** The customer's Vonage user (`USR-…`). */
  userId: string;
}

/** `POST /api/chat/session` answer. Renew before `expiresIn` seconds by posting the link again. */
export interface ChatSessionResponse {
  accessToken: string;
  expiresIn: number;
  conversationId: string;
  customer: { id: string; name: string };
  transport: ChatTransportName;
  /** Present exactly when `transport` is `vonage`. */
  vonage?: VonageChatSession;
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

/**
 * A socket's handshake (`io(url, { auth })`): a customer's chat session or an agent's access token.
 * An agent's socket gets the live inbox (`inbox:changed`) unless it says `inbox: false`: a socket that
 * only serves conversations (a reply window, an integration) need not hear about every ticket.
 */
export interface SocketAuth {
  token: string;
  inbox?: boolean;
}

/** Socket.io event names. Client → server events are acknowledged with a `ChatAck`. */
export const ChatEvent = {
  Join: 'conversation:join',
  Send: 'message:send',
  Typing: 'typing',
  Read: 'read',
  /** A renewed access token for this socket's session, sent before the old one expires. */
  RenewSession: 'session:renew',
  /** Agents: the ticket their console shows now (null: none), so a customer opening it alerts nobody by SMS. */
  View: 'ticket:view',
  /** Server → client. */
  Message: 'message:new',
  TypingChanged: 'typing:changed',
  ReadChanged: 'read:changed',
  /**
   * Sent just before the server closes the socket because its session ended: the token expired
   * without a renewal (`expired`), or the session was revoked (`revoked`: signed out, agent disabled,
   * chat link withdrawn). A client reconnects with a fresh token, or shows the sign-in / link problem.
   */
  SessionEnded: 'session:ended',
} as const;

export interface ViewRequest {
  ticketId: string | null;
}

export interface RenewSessionRequest {
  /** A fresh access token for the same agent or the same customer's conversation. */
  token: string;
}

export interface SessionEnded {
  reason: 'expired' | 'revoked';
}

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

/**
 * Agents' live inbox: server → agent sockets. `inbox:changed` carries an array of InboxChanged:
 * changes are gathered for a fraction of a second and sent together, one entry per ticket.
 */
export const InboxEvent = {
  Changed: 'inbox:changed',
} as const;

export interface InboxChanged {
  ticketId: string;
  /** What happened, for a notification: a customer wrote, opened an order chat, a status changed … */
  reason: 'message' | 'chat_opened' | 'status' | 'assignee' | 'delivery';
  /**
   * With a read replica: the primary's log position once this change was committed. Send it as
   * `X-Read-After` when reading what changed, so a lagging replica does not answer.
   */
  position?: string;
}

/** The agent console's view of tickets (`/api/tickets`). */
export type TicketStatus = 'open' | 'pending' | 'resolved';
export type TicketChannel = 'sms' | 'chat';

export interface TicketCustomer {
  id: string;
  name: string | null;
  username: string | null;
  email: string | null;
  phone: string | null;
  /** When the customer texted STOP (SMS to them are refused until START), else null. */
  smsOptedOutAt: string | null;
  smsOptOutSource: string | null;
}

export interface TicketSummary {
  id: string;
  channel: TicketChannel;
  status: TicketStatus;
  customer: TicketCustomer;
  assignee: { id: string; name: string } | null;
  lastMessage: { body: string; direction: 'in' | 'out'; createdAt: string } | null;
  /** Customer messages newer than the agents' read marker. */
  unread: number;
  lastActivityAt: string;
  createdAt: string;
  /** In search results: what matched. */
  match?: SearchMatch;
}

/** Why a ticket is in search results: where the words were found, and the excerpt that matched. */
export interface SearchMatch {
  in: 'ticket' | 'customer' | 'order' | 'message';
  /** A message's excerpt around the matched words (plain text); null for other matches. */
  text: string | null;
  /** The parts of `text` that matched: [start, end) in UTF-16 code units (JavaScript string indexes). */
  highlights: { start: number; end: number }[];
}

export interface TicketPage {
  items: TicketSummary[];
  /** Tickets matching the filters over all pages: exact up to 1,000; past it, 1,000 and `totalExact` false. */
  total: number;
  totalExact: boolean;
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  page: number;
  pageSize: number;
}

/** A count the inbox shows beside a view; past 1,000 it is 1,000 and not exact ("1,000+"). */
export interface InboxCount {
  count: number;
  exact: boolean;
}

/** The unresolved tickets in each of the console's views. */
export interface InboxCounts {
  unresolved: InboxCount;
  mine: InboxCount;
  unassigned: InboxCount;
  /** Unresolved tickets with customer messages no agent has read. */
  unread: InboxCount;
}

/** One entry of a ticket's thread, with what the console shows about SMS delivery. */
export interface ThreadEntry extends ChatMessage {
  direction: 'in' | 'out';
  /** Agents only: the customer never sees it (e.g. `{ type: 'agent_alert', … }`, an alert held back). */
  internal: boolean;
  /** SMS: received | queued | submitted | sent | delivered | failed | suppressed; chat: received | sent. */
  status: string | null;
  error: string | null;
}

export interface TicketDetail extends TicketSummary {
  supportNumber: string | null;
  /** Chats: the order the conversation is about, and the customer's orders, newest first. */
  currentOrderId: string | null;
  orders: OrderView[];
  thread: ThreadEntry[];
  read: { customer: number; agent: number };
}

export interface TicketReplyRequest {
  body: string;
  /** Chats: the client's id for the message, so a resend never duplicates. */
  clientId?: string;
}

export interface TicketUpdateRequest {
  status?: TicketStatus;
  /** An agent's id, or null to unassign. */
  assigneeId?: string | null;
}

export interface AgentView {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'admin';
  /** Cannot sign in, and is not offered as an assignee; existing assignments stay visible. */
  disabled: boolean;
}

/** `PATCH /api/agents/:id` (admins): disable an agent, ending every session of theirs, or re-enable them. */
export interface AgentUpdateRequest {
  disabled: boolean;
}

export interface SignedInResponse {
  accessToken: string;
  expiresIn: number;
  agent: AgentView;
}
