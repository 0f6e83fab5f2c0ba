import type {
  AgentView,
  ChatMessage,
  JoinRequest,
  OrderView,
  SignedInResponse,
  ThreadEntry,
  TicketCustomer,
  TicketDetail,
  TicketPage,
  TicketSummary,
} from '@switchboard/contracts';

import type { JoinedConversation, LiveChannel, LiveHandlers } from '../agent-socket';

/** Builders for the console's unit tests: each call a fresh object, overridable field by field. */

export const ME: AgentView = {
  id: '1',
  email: 'grace@example.com',
  name: 'Grace Hopper',
  role: 'agent',
  disabled: false,
};

/** A member of the team, as `GET /api/agents` lists them. */
export function anAgent(overrides: Partial<AgentView> = {}): AgentView {
  return {
    id: '2',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    role: 'agent',
    disabled: false,
    ...overrides,
  };
}

export function aSignIn(overrides: Partial<SignedInResponse> = {}): SignedInResponse {
  return { accessToken: 'token-1', expiresIn: 900, agent: { ...ME }, ...overrides };
}

export function aCustomer(overrides: Partial<TicketCustomer> = {}): TicketCustomer {
  return {
    id: '50',
    name: 'Ada Lovelace',
    username: null,
    email: null,
    phone: '+447700900123',
    smsOptedOutAt: null,
    smsOptOutSource: null,
    ...overrides,
  };
}

export function aSummary(overrides: Partial<TicketSummary> = {}): TicketSummary {
  return {
    id: '10',
    channel: 'sms',
    status: 'open',
    customer: aCustomer(),
    assignee: null,
    lastMessage: { body: 'My parcel never came', direction: 'in', createdAt: '2026-03-02T10:00:00.000Z' },
    unread: 1,
    lastActivityAt: '2026-03-02T10:00:00.000Z',
    createdAt: '2026-03-02T10:00:00.000Z',
    ...overrides,
  };
}

export function aPage(items: TicketSummary[], overrides: Partial<TicketPage> = {}): TicketPage {
  return {
    items,
    total: items.length,
    totalExact: true,
    nextCursor: null,
    page: 1,
    pageSize: 50,
    ...overrides,
  };
}

let nextMessageId = 500;

export function anEntry(overrides: Partial<ThreadEntry> = {}): ThreadEntry {
  nextMessageId += 1;
  const direction = overrides.direction ?? 'in';
  return {
    id: String(nextMessageId),
    seq: 1,
    conversationId: '10',
    kind: 'text',
    author:
      direction === 'in'
        ? { role: 'customer', id: '50', name: 'Ada Lovelace' }
        : { role: 'agent', id: ME.id, name: ME.name },
    body: 'My parcel never came',
    payload: {},
    clientId: null,
    createdAt: '2026-03-02T10:00:00.000Z',
    direction,
    status: direction === 'in' ? 'received' : 'queued',
    error: null,
    internal: false,
    ...overrides,
  };
}

export function aMessage(overrides: Partial<ChatMessage> = {}): ChatMessage {
  nextMessageId += 1;
  return {
    id: String(nextMessageId),
    seq: 2,
    conversationId: '10',
    kind: 'text',
    author: { role: 'customer', id: '50', name: 'Ada Lovelace' },
    body: 'Hello?',
    payload: {},
    clientId: null,
    createdAt: '2026-03-02T10:05:00.000Z',
    ...overrides,
  };
}

export function anOrder(overrides: Partial<OrderView> = {}): OrderView {
  return {
    id: '77',
    currency: 'USD',
    total: 1497,
    createdAt: '2026-03-01T10:00:00.000Z',
    items: [
      { name: 'Blue widget', quantity: 2, unitPrice: 499 },
      { name: 'Gizmo', quantity: 1, unitPrice: 499 },
    ],
    ...overrides,
  };
}

export function aDetail(overrides: Partial<TicketDetail> = {}): TicketDetail {
  const thread = overrides.thread ?? [anEntry({ seq: 1 })];
  return {
    ...aSummary(),
    supportNumber: '+447700900000',
    currentOrderId: null,
    orders: [],
    read: { customer: 0, agent: 0 },
    ...overrides,
    thread,
  };
}

/** A live channel the test drives: `handlers` are the store's, `joins` what it asked for. */
export class FakeLiveChannel implements LiveChannel {
  handlers!: LiveHandlers;
  token!: () => string | null;
  readonly joins: JoinRequest[] = [];
  readonly typingSignals: { conversationId: string; typing: boolean }[] = [];
  /** The tokens handed to the live connection with `session:renew`. */
  readonly renewals: string[] = [];
  /** What `ticket:view` said, in order. */
  readonly views: (string | null)[] = [];
  connects = 0;
  disconnected = false;
  joinAnswer: JoinedConversation = { messages: [], read: { customer: 0, agent: 0 } };

  readonly factory = (handlers: LiveHandlers, token: () => string | null): LiveChannel => {
    this.handlers = handlers;
    this.token = token;
    return this;
  };

  connect(): void {
    this.connects += 1;
  }

  async renew(token: string): Promise<void> {
    this.renewals.push(token);
  }

  async join(conversationId: string, afterSeq: number): Promise<JoinedConversation> {
    this.joins.push({ conversationId, afterSeq });
    return this.joinAnswer;
  }

  async view(ticketId: string | null): Promise<void> {
    this.views.push(ticketId);
  }

  typing(conversationId: string, typing: boolean): void {
    this.typingSignals.push({ conversationId, typing });
  }

  disconnect(): void {
    this.disconnected = true;
  }
}
