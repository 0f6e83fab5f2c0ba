import { Injectable } from '@nestjs/common';
import type { OrderView, ThreadEntry, TicketStatus, TicketSummary } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';

export interface TicketFilters {
  status?: TicketStatus | 'unresolved';
  channel?: 'sms' | 'chat';
  /** An agent id, or 'none'. */
  assignee?: string;
  search?: string;
  page: number;
  pageSize: number;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SUMMARY_COLUMNS = `
  t.id::text, t.channel, t.status,
  json_build_object('id', c.id::text, 'name', c.name, 'username', c.username, 'email', c.email, 'phone', c.phone,
                    'smsOptedOutAt', ${ISO('c.sms_opted_out_at')}, 'smsOptOutSource', c.sms_opt_out_source) AS customer,
  CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id::text, 'name', COALESCE(a.name, a.email)) END AS assignee,
  (SELECT json_build_object('body', m.body, 'direction', m.direction, 'createdAt', ${ISO('m.created_at')})
     FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'text' ORDER BY m.seq DESC LIMIT 1) AS "lastMessage",
  (SELECT count(*)::int FROM messages m
    WHERE m.ticket_id = t.id AND m.seq > t.agent_read_seq AND m.direction = 'in' AND m.kind = 'text') AS unread,
  ${ISO('t.last_message_at')} AS "lastActivityAt", ${ISO('t.created_at')} AS "createdAt"`;

const THREAD_COLUMNS = `
  m.id::text, m.seq, m.ticket_id::text AS "conversationId", m.kind, m.body, m.payload, m.client_id AS "clientId",
  ${ISO('m.created_at')} AS "createdAt", m.direction, m.status, m.error,
  CASE WHEN m.kind = 'event' OR m.author_id IS NULL THEN 'system' WHEN m.direction = 'in' THEN 'customer' ELSE 'agent' END
    AS "authorRole",
  m.author_id::text AS "authorId", COALESCE(u.name, u.username, u.phone) AS "authorName"`;

type ThreadRow = Omit<ThreadEntry, 'author'> & {
  authorRole: ThreadEntry['author']['role'];
  authorId: string | null;
  authorName: string | null;
};

/** Tickets as the agent console sees them: the inbox list, one ticket's thread, status and assignment. */
@Injectable()
export class TicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Newest activity first; chats waiting for a first customer message count as `pending`. */
  async list(filters: TicketFilters, agentId: string): Promise<{ items: TicketSummary[]; total: number }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filters.status === 'unresolved') conditions.push(`t.status <> 'resolved'`);
    else if (filters.status) conditions.push(`t.status = ${param(filters.status)}`);
    if (filters.channel) conditions.push(`t.channel = ${param(filters.channel)}`);
    if (filters.assignee === 'none') conditions.push('t.assignee_id IS NULL');
    else if (filters.assignee === 'me') conditions.push(`t.assignee_id = ${param(agentId)}`);
    else if (filters.assignee) conditions.push(`t.assignee_id = ${param(filters.assignee)}`);
    if (filters.search) {
      const pattern = param(`%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      conditions.push(`(c.name ILIKE ${pattern} OR c.username ILIKE ${pattern} OR c.email ILIKE ${pattern}
        OR c.phone ILIKE ${pattern} OR t.id::text = ${param(filters.search.replace(/^#/, ''))}
        OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'text' AND m.body ILIKE ${pattern}))`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = (await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}, count(*) OVER ()::int AS total
         FROM tickets t JOIN users c ON c.id = t.customer_id LEFT JOIN users a ON a.id = t.assignee_id
         ${where}
        ORDER BY t.last_message_at DESC, t.id DESC
        LIMIT ${param(filters.pageSize)} OFFSET ${param((filters.page - 1) * filters.pageSize)}`,
      params,
    )) as (TicketSummary & { total: number })[];
    return { items: rows.map(({ total: _total, ...item }) => item), total: rows[0]?.total ?? 0 };
  }

  async summary(ticketId: string): Promise<TicketSummary | undefined> {
    if (!/^\d{1,18}$/.test(ticketId)) return undefined;
    const [row] = (await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}, t.support_number AS "supportNumber", t.order_id::text AS "currentOrderId",
              t.customer_id::text AS "customerId",
              json_build_object('customer', t.customer_read_seq, 'agent', t.agent_read_seq) AS read
         FROM tickets t JOIN users c ON c.id = t.customer_id LEFT JOIN users a ON a.id = t.assignee_id
        WHERE t.id = $1`,
      [ticketId],
    )) as TicketSummary[];
    return row;
  }

  async entry(messageId: string): Promise<ThreadEntry> {
    const [row] = (await this.dataSource.query(
      `SELECT ${THREAD_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1`,
      [messageId],
    )) as ThreadRow[];
    const { authorRole, authorId, authorName, ...rest } = row!;
    return { ...rest, author: { role: authorRole, id: authorId, name: authorName } };
  }

  /** The latest `limit` entries of the thread, oldest first. */
  async thread(ticketId: string, limit = 500): Promise<ThreadEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${THREAD_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id
          WHERE m.ticket_id = $1 ORDER BY m.seq DESC LIMIT $2
       ) latest ORDER BY seq`,
      [ticketId, limit],
    )) as ThreadRow[];
    return rows.map(({ authorRole, authorId, authorName, ...row }) => ({
      ...row,
      author: { role: authorRole, id: authorId, name: authorName },
    }));
  }

  async orders(customerId: string): Promise<OrderView[]> {
    return (await this.dataSource.query(
      `SELECT o.id::text, o.currency, o.total_minor::float8 AS total, ${ISO('o.created_at')} AS "createdAt",
              (SELECT json_agg(json_build_object('name', i.name, 'quantity', i.quantity, 'unitPrice', i.unit_price_minor)
                               ORDER BY i.position) FROM order_items i WHERE i.order_id = o.id) AS items
         FROM orders o WHERE o.customer_id = $1 ORDER BY o.id DESC LIMIT 50`,
      [customerId],
    )) as OrderView[];
  }

  async lock(
    manager: EntityManager,
    ticketId: string,
  ): Promise<{ status: TicketStatus; assigneeId: string | null } | undefined> {
    if (!/^\d{1,18}$/.test(ticketId)) return undefined;
    const [row] = (await manager.query(
      `SELECT status, assignee_id::text AS "assigneeId" FROM tickets WHERE id = $1 FOR UPDATE`,
      [ticketId],
    )) as { status: TicketStatus; assigneeId: string | null }[];
    return row;
  }

  async setStatus(manager: EntityManager, ticketId: string, status: TicketStatus): Promise<void> {
    await manager.query(
      `UPDATE tickets SET status = $2, resolved_at = CASE WHEN $2 = 'resolved' THEN now() END, updated_at = now()
        WHERE id = $1`,
      [ticketId, status],
    );
  }

  async setAssignee(manager: EntityManager, ticketId: string, assigneeId: string | null): Promise<void> {
    await manager.query(`UPDATE tickets SET assignee_id = $2, updated_at = now() WHERE id = $1`, [
      ticketId,
      assigneeId,
    ]);
  }

  /** An event in the thread, by an agent: status changes, assignments, resends. */
  async recordEvent(
    manager: EntityManager,
    ticketId: string,
    agentId: string,
    payload: Record<string, unknown>,
  ): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, kind, payload) VALUES ($1, 'out', $2, 'event', $3)
       RETURNING id::text`,
      [ticketId, agentId, payload],
    )) as { id: string }[];
    return row!.id;
  }

  async markRead(ticketId: string, seq: number): Promise<number | undefined> {
    const [row] = (await this.dataSource.query(
      `WITH moved AS (
         UPDATE tickets SET agent_read_seq = LEAST($2, last_seq) WHERE id = $1 AND agent_read_seq < LEAST($2, last_seq)
         RETURNING agent_read_seq AS seq
       ) SELECT seq FROM moved`,
      [ticketId, seq],
    )) as { seq: number }[];
    return row?.seq;
  }

  async failedSms(ticketId: string, messageId: string): Promise<{ body: string } | undefined> {
    if (!/^\d{1,18}$/.test(messageId) || !/^\d{1,18}$/.test(ticketId)) return undefined;
    const [row] = (await this.dataSource.query(
      `SELECT body FROM messages WHERE id = $1 AND ticket_id = $2 AND direction = 'out' AND kind = 'text'
          AND status = 'failed'`,
      [messageId, ticketId],
    )) as { body: string }[];
    return row;
  }
}
