import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live chat's needs: every message of a ticket gets the next number of its conversation (`seq`,
 * assigned by a trigger, so no insert path can forget it), a client-chosen id that makes resends
 * harmless, read markers for both sides, and the socket.io Postgres adapter's table. The trigger and
 * its function are defined in src/thread/messages-seq.sql (applied after the migrations:
 * database/sql-files.ts); this migration numbers the messages that existed before it.
 */
export class ChatSequence1763722800000 implements MigrationInterface {
  name = 'ChatSequence1763722800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN last_seq int NOT NULL DEFAULT 0,
        ADD COLUMN customer_read_seq int NOT NULL DEFAULT 0,
        ADD COLUMN agent_read_seq int NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN seq int, ADD COLUMN client_id uuid`);
    await queryRunner.query(`
      UPDATE messages m SET seq = numbered.seq
        FROM (SELECT id, row_number() OVER (PARTITION BY ticket_id ORDER BY id) AS seq FROM messages) numbered
       WHERE m.id = numbered.id`);
    await queryRunner.query(`
      UPDATE tickets t SET last_seq = COALESCE((SELECT max(seq) FROM messages m WHERE m.ticket_id = t.id), 0)`);
    await queryRunner.query(`ALTER TABLE messages ALTER COLUMN seq SET NOT NULL`);
    await queryRunner.query(`DROP INDEX messages_thread`);
    await queryRunner.query(`CREATE UNIQUE INDEX messages_thread_seq ON messages (ticket_id, seq)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX messages_client_id ON messages (ticket_id, client_id) WHERE client_id IS NOT NULL`,
    );
    // @socket.io/postgres-adapter keeps payloads too big for NOTIFY here.
    await queryRunner.query(`
      CREATE TABLE socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE socket_io_attachments');
    // The trigger (src/thread/messages-seq.sql) writes the column this drops.
    await queryRunner.query('DROP TRIGGER IF EXISTS messages_assign_seq ON messages');
    await queryRunner.query('DROP FUNCTION IF EXISTS messages_assign_seq()');
    await queryRunner.query('DROP INDEX messages_client_id');
    await queryRunner.query('DROP INDEX messages_thread_seq');
    await queryRunner.query('CREATE INDEX messages_thread ON messages (ticket_id, id)');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN client_id, DROP COLUMN seq');
    await queryRunner.query(
      'ALTER TABLE tickets DROP COLUMN agent_read_seq, DROP COLUMN customer_read_seq, DROP COLUMN last_seq',
    );
  }
}
