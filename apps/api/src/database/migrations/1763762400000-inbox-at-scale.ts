import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's lists read an index in their own order, so a page costs the same at 1,000 tickets and at
 * 1,000,000 (docs/benchmarks.md, "Inbox at scale"): newest activity first, ties by id, for every
 * ticket, for the unresolved ones (the default view: a small partial index), and per assignee (`me`,
 * `none`, an agent), of all tickets and of the unresolved ones. Unread is a comparison of two columns
 * on the ticket: `last_inbound_seq` (kept by the seq trigger, thread/messages-seq.sql) against the
 * agents' read marker; it is in no index.
 *
 * The price: a text message moves its ticket in these indexes, so the ticket's update is no longer HOT
 * (migration 1763730000000 had dropped the only index on `last_message_at` for that). The unresolved
 * and per-assignee indexes are partial where they can be, so a resolved ticket's entries stay put;
 * `pnpm bench:sms` measures what the webhook pays (docs/benchmarks.md).
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
    await queryRunner.query(`CREATE INDEX tickets_activity ON tickets (last_message_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX tickets_unresolved_activity ON tickets (last_message_at DESC, id DESC) WHERE status <> 'resolved'`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_assignee_activity ON tickets (assignee_id, last_message_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_unresolved_assignee_activity ON tickets (assignee_id, last_message_at DESC, id DESC)
         WHERE status <> 'resolved'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tickets_unresolved_assignee_activity`);
    await queryRunner.query(`DROP INDEX tickets_assignee_activity`);
    await queryRunner.query(`DROP INDEX tickets_unresolved_activity`);
    await queryRunner.query(`DROP INDEX tickets_activity`);
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN last_inbound_seq`);
  }
}
