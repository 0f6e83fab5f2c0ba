import { Injectable } from '@nestjs/common';
import type { ChatMessage, OrderView, ThreadEntry, TicketSummary } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { ISO, SUMMARY_COLUMNS, isId } from './thread-columns';

/** A customer's chat conversation, as the chat rules need it. */
export interface ConversationRow {
  id: string;
  status: 'open' | 'pending' | 'resolved';
  customerId: string;
  customerName: string;
  customerRead: number;
  agentRead: number;
  /** The customer's chat-link epoch: links issued before it were withdrawn. */
  linkEpoch: number;
}

/** Who wrote an entry, as both the console's thread and the chat show it. */
const AUTHOR_COLUMNS = `
  CASE WHEN m.kind = 'event' OR m.author_id IS NULL THEN 'system' WHEN m.direction = 'in' THEN 'customer' ELSE 'agent' END
    AS "authorRole",
  m.author_id::text AS "authorId"`;

const ENTRY_COLUMNS = `
  m.id::text, m.seq, m.ticket_id::text AS "conversationId", m.kind, m.body, m.payload, m.client_id AS "clientId",
  ${ISO('m.created_at')} AS "createdAt", m.direction, m.status, m.error, m.internal, ${AUTHOR_COLUMNS},
  COALESCE(u.name, u.username, u.phone) AS "authorName"`;

/** A chat message: an entry without the delivery state only agents see. */
export const CHAT_MESSAGE_COLUMNS = `
  m.id::text AS id, m.seq, m.ticket_id::text AS "conversationId", m.kind, m.body, m.payload,
  m.client_id AS "clientId", ${ISO('m.created_at')} AS "createdAt", ${AUTHOR_COLUMNS},
  COALESCE(u.name, u.username) AS "authorName"`;

export interface AlertContext {
  channel: 'sms' | 'chat';
  customerName: string;
  orderId: string | null;
  assigneeId: string | null;
  agentWroteRecently: boolean;
}

export type Authored<T extends { author: unknown }> = Omit<T, 'author'> & {
  authorRole: ThreadEntry['author']['role'];
  authorId: string | null;
  authorName: string | null;
};

/** A row with the author's columns folded into `author`. */
export function authored<T extends { author: unknown }>({
  authorRole,
  authorId,
  authorName,
  ...row
}: Authored<T>): T {
  return { ...row, author: { role: authorRole, id: authorId, name: authorName } } as unknown as T;
}

/**
 * How the thread reads: a ticket and its entries (the inbox's lists are InboxViews), a chat conversation and its messages, and
 * the customer's orders that a conversation is about. Reads only; writes go through ThreadService.
 */
@Injectable()
export class ThreadViews {
  constructor(private readonly dataSource: DataSource) {}

  async summary(
    ticketId: string,
    source: DataSource = this.dataSource,
  ): Promise<(TicketSummary & { customerId: string }) | undefined> {
    if (!isId(ticketId)) return undefined;
    const [row] = (await source.query(
      `SELECT ${SUMMARY_COLUMNS}, t.support_number AS "supportNumber", t.order_id::text AS "currentOrderId",
              t.customer_id::text AS "customerId",
              json_build_object('customer', t.customer_read_seq, 'agent', t.agent_read_seq) AS read
         FROM tickets t JOIN users c ON c.id = t.customer_id LEFT JOIN users a ON a.id = t.assignee_id
        WHERE t.id = $1`,
      [ticketId],
    )) as (TicketSummary & { customerId: string })[];
    return row;
  }

  /**
   * What a chat alert says, and whether one is due: the customer, the order, the assignee, and whether
   * an agent wrote in the conversation within `minutes` (its latest reply, read from the newest end).
   */
  async alertContext(ticketId: string, minutes: number): Promise<AlertContext | undefined> {
    if (!isId(ticketId)) return undefined;
    const [row] = (await this.dataSource.query(
      `SELECT t.channel, COALESCE(c.name, c.username, 'A customer') AS "customerName",
              t.order_id::text AS "orderId", t.assignee_id::text AS "assigneeId",
              COALESCE((SELECT m.created_at > now() - make_interval(mins => $2) FROM messages m
                         WHERE m.ticket_id = t.id AND m.direction = 'out' AND m.kind = 'text' AND NOT m.internal
                         ORDER BY m.seq DESC LIMIT 1), false) AS "agentWroteRecently"
         FROM tickets t JOIN users c ON c.id = t.customer_id
        WHERE t.id = $1`,
      [ticketId, minutes],
    )) as AlertContext[];
    return row;
  }

  async entry(messageId: string, manager: EntityManager = this.dataSource.manager): Promise<ThreadEntry> {
    const [row] = (await manager.query(
      `SELECT ${ENTRY_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1`,
      [messageId],
    )) as Authored<ThreadEntry>[];
    return authored<ThreadEntry>(row!);
  }

  /** The latest `limit` entries of the thread, oldest first. */
  async entries(ticketId: string, limit = 500, source: DataSource = this.dataSource): Promise<ThreadEntry[]> {
    const rows = (await source.query(
      `SELECT * FROM (
         SELECT ${ENTRY_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id
          WHERE m.ticket_id = $1 ORDER BY m.seq DESC LIMIT $2
       ) latest ORDER BY seq`,
      [ticketId, limit],
    )) as Authored<ThreadEntry>[];
    return rows.map((row) => authored<ThreadEntry>(row));
  }

  /** An agent's failed SMS in this ticket, for a resend. */
  async failedText(ticketId: string, messageId: string): Promise<{ body: string } | undefined> {
    if (!isId(messageId) || !isId(ticketId)) return undefined;
    const [row] = (await this.dataSource.query(
      `SELECT body FROM messages WHERE id = $1 AND ticket_id = $2 AND direction = 'out' AND kind = 'text'
          AND status = 'failed'`,
      [messageId, ticketId],
    )) as { body: string }[];
    return row;
  }

  async conversation(
    conversationId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ConversationRow | undefined> {
    if (!isId(conversationId)) return undefined;
    const [row] = (await manager.query(
      `SELECT t.id::text, t.status, t.customer_id::text AS "customerId",
              COALESCE(u.name, u.username, 'Customer') AS "customerName",
              t.customer_read_seq AS "customerRead", t.agent_read_seq AS "agentRead",
              u.chat_link_epoch AS "linkEpoch"
         FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.id = $1 AND t.channel = 'chat'${lock ? ' FOR UPDATE OF t' : ''}`,
      [conversationId],
    )) as ConversationRow[];
    return row;
  }

  /** The customer's chat conversation (every shop customer has exactly one). */
  async conversationOf(customerId: string, manager: EntityManager): Promise<string | undefined> {
    const [row] = (await manager.query(
      `SELECT id::text FROM tickets WHERE customer_id = $1 AND channel = 'chat'`,
      [customerId],
    )) as { id: string }[];
    return row?.id;
  }

  async chatMessage(id: string, manager: EntityManager = this.dataSource.manager): Promise<ChatMessage> {
    const [row] = (await manager.query(
      `SELECT ${CHAT_MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1`,
      [id],
    )) as Authored<ChatMessage>[];
    return authored<ChatMessage>(row!);
  }

  async chatMessageByClientId(
    manager: EntityManager,
    conversationId: string,
    clientId: string,
  ): Promise<ChatMessage | undefined> {
    const [row] = (await manager.query(
      `SELECT ${CHAT_MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id
        WHERE m.ticket_id = $1 AND m.client_id = $2`,
      [conversationId, clientId],
    )) as Authored<ChatMessage>[];
    return row ? authored<ChatMessage>(row) : undefined;
  }

  /**
   * Messages with seq > afterSeq, oldest first, at most `limit`. `withInternal`: agents' entries too
   * (never for a customer).
   */
  async chatMessagesAfter(
    conversationId: string,
    afterSeq: number,
    limit: number,
    withInternal: boolean,
  ): Promise<ChatMessage[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${CHAT_MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id
        WHERE m.ticket_id = $1 AND m.seq > $2 AND ($4 OR NOT m.internal) ORDER BY m.seq LIMIT $3`,
      [conversationId, afterSeq, limit, withInternal],
    )) as Authored<ChatMessage>[];
    return rows.map((row) => authored<ChatMessage>(row));
  }

  /** The latest `limit` messages before `beforeSeq` (or the latest of all), oldest first. */
  async chatMessagesBefore(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    withInternal: boolean,
  ): Promise<ChatMessage[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${CHAT_MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id
          WHERE m.ticket_id = $1 AND ($2::int IS NULL OR m.seq < $2) AND ($4 OR NOT m.internal)
          ORDER BY m.seq DESC LIMIT $3
       ) latest ORDER BY seq`,
      [conversationId, beforeSeq ?? null, limit, withInternal],
    )) as Authored<ChatMessage>[];
    return rows.map((row) => authored<ChatMessage>(row));
  }

  /**
   * The customer's orders, newest first: the latest `limit`, plus `alsoOrderId` if it is theirs (the
   * order a chat page is about, however old). The one query for orders shown beside a conversation.
   */
  async orders(
    customerId: string,
    limit = 50,
    alsoOrderId?: string,
    source: DataSource = this.dataSource,
  ): Promise<OrderView[]> {
    return (await source.query(
      `SELECT o.id::text, o.currency, o.total_minor::float8 AS total, ${ISO('o.created_at')} AS "createdAt",
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
