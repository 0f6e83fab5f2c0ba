import { Injectable } from '@nestjs/common';
import type { ChatMessage, OrderView } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';

export interface ConversationRow {
  id: string;
  status: 'open' | 'pending' | 'resolved';
  customerId: string;
  customerName: string;
  customerRead: number;
  agentRead: number;
}

const MESSAGE_COLUMNS = `
  m.id::text AS id, m.seq, m.ticket_id::text AS "conversationId", m.kind, m.body, m.payload,
  m.client_id AS "clientId", to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  CASE WHEN m.kind = 'event' OR m.author_id IS NULL THEN 'system' WHEN m.direction = 'in' THEN 'customer' ELSE 'agent' END
    AS "authorRole",
  m.author_id::text AS "authorId", COALESCE(a.name, a.username) AS "authorName"`;

type MessageRow = Omit<ChatMessage, 'author'> & {
  authorRole: ChatMessage['author']['role'];
  authorId: string | null;
  authorName: string | null;
};

/** A text message someone sends into a conversation. */
export interface NewTextMessage {
  conversationId: string;
  direction: 'in' | 'out';
  authorId: string;
  clientId: string;
  body: string;
}

/** $1–$6 of both inserts of a text message: ticket, direction, author, body, client id, status. */
const textMessageValues = (message: NewTextMessage) => [
  message.conversationId,
  message.direction,
  message.authorId,
  message.body,
  message.clientId,
  message.direction === 'in' ? 'received' : 'sent',
];

/** Conversation ids are ticket ids: anything else names no conversation (and must not reach a bigint cast). */
const isConversationId = (id: string) => /^\d{1,18}$/.test(id);

function toMessage({ authorRole, authorId, authorName, ...row }: MessageRow): ChatMessage {
  return { ...row, author: { role: authorRole, id: authorId, name: authorName } };
}

/** A customer's chat conversation: its `chat` ticket and the thread of messages and events. */
@Injectable()
export class ConversationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async find(
    conversationId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ConversationRow | undefined> {
    if (!isConversationId(conversationId)) return undefined;
    const [row] = (await manager.query(
      `SELECT t.id::text, t.status, t.customer_id::text AS "customerId",
              COALESCE(u.name, u.username, 'Customer') AS "customerName",
              t.customer_read_seq AS "customerRead", t.agent_read_seq AS "agentRead"
         FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.id = $1 AND t.channel = 'chat'${lock ? ' FOR UPDATE OF t' : ''}`,
      [conversationId],
    )) as ConversationRow[];
    return row;
  }

  /** Messages with seq > afterSeq, oldest first, at most `limit`. */
  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<ChatMessage[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN users a ON a.id = m.author_id
        WHERE m.ticket_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3`,
      [conversationId, afterSeq, limit],
    )) as MessageRow[];
    return rows.map(toMessage);
  }

  /** The latest `limit` messages before `beforeSeq` (or the latest of all), oldest first. */
  async messagesBefore(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<ChatMessage[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN users a ON a.id = m.author_id
          WHERE m.ticket_id = $1 AND ($2::int IS NULL OR m.seq < $2) ORDER BY m.seq DESC LIMIT $3
       ) latest ORDER BY seq`,
      [conversationId, beforeSeq ?? null, limit],
    )) as MessageRow[];
    return rows.map(toMessage);
  }

  async message(manager: EntityManager, id: string): Promise<ChatMessage> {
    const [row] = (await manager.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN users a ON a.id = m.author_id WHERE m.id = $1`,
      [id],
    )) as MessageRow[];
    return toMessage(row!);
  }

  /**
   * The common case of a chat message as one statement, so one round trip and its own transaction:
   * lock the conversation, store the message (its trigger gives it the next `seq`), read it back with
   * its author. Only into a conversation that is open, or any for an agent (whose reply changes no
   * status). Undefined when that is not the case, or the client id was used before (a resend): the
   * caller then takes the general path, which tells these apart.
   */
  async insertIntoOpen(message: NewTextMessage): Promise<ChatMessage | undefined> {
    if (!isConversationId(message.conversationId)) return undefined;
    const [row] = (await this.dataSource.query(
      `WITH conversation AS (
         SELECT id FROM tickets
          WHERE id = $1 AND channel = 'chat' AND (status = 'open' OR $2 = 'out')
            -- A resend goes to the general path untouched: the insert's trigger would take a seq first.
            AND NOT EXISTS (SELECT 1 FROM messages WHERE ticket_id = $1 AND client_id = $5)
          FOR UPDATE
       ), stored AS (
         INSERT INTO messages (ticket_id, direction, author_id, kind, body, client_id, status)
         SELECT id, $2, $3, 'text', $4, $5, $6 FROM conversation
         ON CONFLICT (ticket_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
         RETURNING *
       )
       SELECT ${MESSAGE_COLUMNS} FROM stored m LEFT JOIN users a ON a.id = m.author_id`,
      textMessageValues(message),
    )) as MessageRow[];
    return row ? toMessage(row) : undefined;
  }

  /** Undefined when this client id was already used in the conversation (a resend). */
  async insertText(manager: EntityManager, message: NewTextMessage): Promise<string | undefined> {
    const [row] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, kind, body, client_id, status)
       VALUES ($1, $2, $3, 'text', $4, $5, $6)
       ON CONFLICT (ticket_id, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id::text`,
      textMessageValues(message),
    )) as { id: string }[];
    return row?.id;
  }

  /**
   * A customer's message or event that reached us through the chat provider. Undefined when this
   * provider message is stored already (a retried webhook): `messages_provider_message_unique` decides.
   */
  async insertFromProvider(
    manager: EntityManager,
    message: {
      conversationId: string;
      authorId: string;
      kind: 'text' | 'event';
      body: string;
      payload: Record<string, unknown>;
      provider: string;
      providerMessageId: string;
    },
  ): Promise<string | undefined> {
    const [row] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, kind, body, payload, provider, provider_message_id, status)
       VALUES ($1, 'in', $2, $3, $4, $5, $6, $7, CASE WHEN $3 = 'text' THEN 'received' END)
       ON CONFLICT ON CONSTRAINT messages_provider_message_unique DO NOTHING RETURNING id::text`,
      [
        message.conversationId,
        message.authorId,
        message.kind,
        message.body,
        message.payload,
        message.provider,
        message.providerMessageId,
      ],
    )) as { id: string }[];
    return row?.id;
  }

  async byClientId(
    manager: EntityManager,
    conversationId: string,
    clientId: string,
  ): Promise<ChatMessage | undefined> {
    const [row] = (await manager.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN users a ON a.id = m.author_id
        WHERE m.ticket_id = $1 AND m.client_id = $2`,
      [conversationId, clientId],
    )) as MessageRow[];
    return row ? toMessage(row) : undefined;
  }

  /** Opens a conversation the customer wrote in; records a status event when it had been resolved. */
  async openForCustomer(manager: EntityManager, conversation: ConversationRow): Promise<string | undefined> {
    if (conversation.status === 'open') return undefined;
    await manager.query(
      `UPDATE tickets SET status = 'open', resolved_at = NULL, updated_at = now() WHERE id = $1`,
      [conversation.id],
    );
    if (conversation.status !== 'resolved') return undefined;
    const [event] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, kind, payload)
       VALUES ($1, 'in', $2, 'event', $3) RETURNING id::text`,
      [
        conversation.id,
        conversation.customerId,
        { type: 'status_changed', from: 'resolved', to: 'open', reason: 'customer_message' },
      ],
    )) as { id: string }[];
    return event!.id;
  }

  /** Raises a side's read marker (never lowers it); undefined when it did not move. */
  async markRead(
    conversationId: string,
    side: 'customer' | 'agent',
    seq: number,
  ): Promise<number | undefined> {
    const column = side === 'customer' ? 'customer_read_seq' : 'agent_read_seq';
    const [row] = (await this.dataSource.query(
      `WITH moved AS (
         UPDATE tickets SET ${column} = LEAST($2, last_seq) WHERE id = $1 AND ${column} < LEAST($2, last_seq)
         RETURNING ${column} AS seq
       ) SELECT seq FROM moved`,
      [conversationId, seq],
    )) as { seq: number }[];
    return row?.seq;
  }

  /** The customer's orders, newest first. */
  /** The customer's orders, newest first: the latest `limit`, plus `alsoOrderId` if it is theirs. */
  async orders(customerId: string, limit = 50, alsoOrderId?: string): Promise<OrderView[]> {
    return (await this.dataSource.query(
      `SELECT o.id::text, o.currency, o.total_minor::float8 AS total,
              to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
              (SELECT json_agg(json_build_object('name', i.name, 'quantity', i.quantity, 'unitPrice', i.unit_price_minor)
                               ORDER BY i.position)
                 FROM order_items i WHERE i.order_id = o.id) AS items
         FROM orders o
        WHERE o.customer_id = $1
          AND (o.id IN (SELECT id FROM orders WHERE customer_id = $1 ORDER BY id DESC LIMIT $2) OR o.id::text = $3)
        ORDER BY o.id DESC`,
      [customerId, limit, alsoOrderId ?? null],
    )) as OrderView[];
  }
}
