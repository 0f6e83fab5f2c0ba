import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's lists read an index in their own order, so a page costs the same at 1,000 tickets and at
 * 1,000,000 (docs/benchmarks.md, "Inbox at scale"), without making the per-message update of a ticket
 * pay for it. Any index on `tickets.last_message_at` (partial or not: PostgreSQL's HOT rule looks at
 * every indexed column) turns that update into a new entry in every index of `tickets`, ~35 µs of
 * database CPU per SMS measured by `pnpm bench:sms`. So the activity order lives in two places that a
 * message leaves alone:
 *
 * - `ticket_queue`: one narrow row per unresolved ticket (2% of a desk's history), the columns the
 *   lists filter and sort by, kept by a trigger on `tickets` (thread/ticket-queue.sql). A message
 *   updates its small row, in three small indexes; the ticket's own update stays HOT.
 * - `tickets.resolved_activity_at`: the activity of a resolved ticket (null while it is unresolved,
 *   generated from `status` and `last_message_at`). Its indexes change only when a ticket is resolved
 *   or reopened, which changes `status` (indexed by `tickets_one_unresolved`) anyway.
 *
 * Unread is a comparison of two columns: `last_inbound_seq` (kept by the seq trigger,
 * thread/messages-seq.sql) against the agents' read marker, both mirrored in the queue for the counts.
 */
export class InboxAtScale1763762400000 implements MigrationInterface {
  name = 'InboxAtScale1763762400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tickets ADD COLUMN last_inbound_seq int NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      UPDATE tickets t SET last_inbound_seq = latest.seq
        FROM (SELECT ticket_id, max(seq) AS seq FROM messages
               WHERE direction = 'in' AND kind = 'text' GROUP BY ticket_id) latest
       WHERE latest.ticket_id = t.id`);
    await queryRunner.query(`
      ALTER TABLE tickets ADD COLUMN resolved_activity_at timestamptz
        GENERATED ALWAYS AS (CASE WHEN status = 'resolved' THEN last_message_at END) STORED`);
    await queryRunner.query(`
      CREATE INDEX tickets_resolved_activity ON tickets (resolved_activity_at DESC, id DESC)
       WHERE resolved_activity_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX tickets_resolved_assignee_activity ON tickets (assignee_id, resolved_activity_at DESC, id DESC)
       WHERE resolved_activity_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE ticket_queue (
        ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
        status text NOT NULL,
        channel text NOT NULL,
        assignee_id bigint,
        last_message_at timestamptz NOT NULL,
        last_inbound_seq int NOT NULL,
        agent_read_seq int NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX ticket_queue_activity ON ticket_queue (last_message_at DESC, ticket_id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ticket_queue_assignee_activity ON ticket_queue (assignee_id, last_message_at DESC, ticket_id DESC)`,
    );
    await queryRunner.query(`
      INSERT INTO ticket_queue (ticket_id, status, channel, assignee_id, last_message_at, last_inbound_seq, agent_read_seq)
      SELECT id, status, channel, assignee_id, last_message_at, last_inbound_seq, agent_read_seq
        FROM tickets WHERE status <> 'resolved'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The triggers that keep the queue (thread/ticket-queue.sql) go with it.
    await queryRunner.query(`DROP TRIGGER IF EXISTS tickets_queue_insert ON tickets`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS tickets_queue_update ON tickets`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tickets_sync_queue()`);
    await queryRunner.query(`DROP TABLE ticket_queue`);
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN resolved_activity_at`);
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN last_inbound_seq`);
  }
}
