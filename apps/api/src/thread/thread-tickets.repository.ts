import { Injectable } from '@nestjs/common';
import type { TicketStatus } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';

const isId = (id: string) => /^\d{1,18}$/.test(id);

/**
 * The rows of `tickets`: the only TypeScript that creates or changes them (SMS tickets are opened by
 * the inbound SQL the thread owns). One unresolved ticket per customer and channel is the partial
 * unique index `tickets_one_unresolved`'s to enforce, one chat conversation per customer the index
 * `tickets_one_chat_conversation`'s.
 */
@Injectable()
export class ThreadTicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The customer's chat conversation: created `pending` (until they write) the first time. */
  async openConversation(
    manager: EntityManager,
    customerId: string,
  ): Promise<{ id: string; created: boolean }> {
    const [created] = (await manager.query(
      `INSERT INTO tickets (customer_id, channel, status) VALUES ($1, 'chat', 'pending')
       ON CONFLICT (customer_id) WHERE channel = 'chat' DO NOTHING RETURNING id::text`,
      [customerId],
    )) as { id: string }[];
    if (created) return { id: created.id, created: true };
    const [existing] = (await manager.query(
      `SELECT id::text FROM tickets WHERE customer_id = $1 AND channel = 'chat'`,
      [customerId],
    )) as { id: string }[];
    return { id: existing!.id, created: false };
  }

  async lock(
    manager: EntityManager,
    ticketId: string,
  ): Promise<{ status: TicketStatus; assigneeId: string | null } | undefined> {
    if (!isId(ticketId)) return undefined;
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

  /** From now on the conversation is about this order (the chat page and the console show it first). */
  async setOrder(manager: EntityManager, ticketId: string, orderId: string): Promise<void> {
    await manager.query(`UPDATE tickets SET order_id = $2, updated_at = now() WHERE id = $1`, [
      ticketId,
      orderId,
    ]);
  }

  /** Raises one side's read marker, never lowers it; undefined when it did not move. */
  async moveReadMarker(
    ticketId: string,
    side: 'customer' | 'agent',
    seq: number,
  ): Promise<number | undefined> {
    if (!isId(ticketId)) return undefined;
    const column = side === 'customer' ? 'customer_read_seq' : 'agent_read_seq';
    const [row] = (await this.dataSource.query(
      `WITH moved AS (
         UPDATE tickets SET ${column} = LEAST($2, last_seq) WHERE id = $1 AND ${column} < LEAST($2, last_seq)
         RETURNING ${column} AS seq
       ) SELECT seq FROM moved`,
      [ticketId, seq],
    )) as { seq: number }[];
    return row?.seq;
  }
}
