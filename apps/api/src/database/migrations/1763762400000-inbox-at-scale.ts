import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's lists read an index in their own order, so a page costs the same at 1,000 tickets and at
 * 1,000,000 (docs/benchmarks.md, "Inbox at scale"): newest activity first, for every ticket, for the
 * unresolved ones (the default view: a small partial index), per channel, and per assignee (`me`,
 * `none`, an agent), of all tickets and of the unresolved ones.
 *
 * The indexes hold the hour of the ticket's last activity (`activity_hour`, generated), not the time
 * itself: PostgreSQL keeps an update HOT (no new entry in any index of the table) only when no indexed
 * column changes, so with `last_message_at` indexed every text would add an entry to each of the
 * table's indexes (~35 µs of database CPU per SMS, measured with `pnpm bench:sms`). With the hour, a
 * text moves its ticket's entries only when it is the ticket's first in a new hour; the lists sort the
 * tickets of each hour they read by the exact time (an incremental sort), which costs as many rows as
 * one hour's active tickets.
 *
 * Unread is a comparison of two columns on the ticket: `last_inbound_seq` (kept by the seq trigger,
 * thread/messages-seq.sql) against the agents' read marker; it is in no index.
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
      ALTER TABLE tickets ADD COLUMN activity_hour timestamptz
        GENERATED ALWAYS AS (date_trunc('hour', last_message_at, 'UTC')) STORED`);
    await queryRunner.query(`CREATE INDEX tickets_activity ON tickets (activity_hour DESC)`);
    await queryRunner.query(
      `CREATE INDEX tickets_unresolved_activity ON tickets (activity_hour DESC) WHERE status <> 'resolved'`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_assignee_activity ON tickets (assignee_id, activity_hour DESC)`,
    );
    // Per channel: a channel that is a small share of the history (chat) would otherwise be found by
    // reading the whole order's index and skipping the other channel's tickets.
    await queryRunner.query(`CREATE INDEX tickets_channel_activity ON tickets (channel, activity_hour DESC)`);
    await queryRunner.query(
      `CREATE INDEX tickets_unresolved_assignee_activity ON tickets (assignee_id, activity_hour DESC)
         WHERE status <> 'resolved'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tickets_unresolved_assignee_activity`);
    await queryRunner.query(`DROP INDEX tickets_channel_activity`);
    await queryRunner.query(`DROP INDEX tickets_assignee_activity`);
    await queryRunner.query(`DROP INDEX tickets_unresolved_activity`);
    await queryRunner.query(`DROP INDEX tickets_activity`);
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN activity_hour`);
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN last_inbound_seq`);
  }
}
