import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vonage Conversations keeps its ids in tables of its own: `vonage_users` (a customer's Vonage user)
 * and `vonage_conversations` (a chat conversation's Vonage conversation, members and the lease of
 * whoever works on it), instead of columns on `users` and `tickets`, whose owners are the users module
 * and the thread core. Existing links are copied over.
 */
export class VonageLinksOwnTables1763755200000 implements MigrationInterface {
  name = 'VonageLinksOwnTables1763755200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE vonage_users (
        customer_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        user_id text NOT NULL UNIQUE
      )`);
    await queryRunner.query(`
      CREATE TABLE vonage_conversations (
        ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
        conversation_id text UNIQUE,
        member_id text,
        desk_member_id text,
        lease_holder uuid,
        lease_until timestamptz
      )`);
    await queryRunner.query(`
      INSERT INTO vonage_users (customer_id, user_id)
      SELECT id, vonage_user_id FROM users WHERE vonage_user_id IS NOT NULL`);
    await queryRunner.query(`
      INSERT INTO vonage_conversations
             (ticket_id, conversation_id, member_id, desk_member_id, lease_holder, lease_until)
      SELECT id, vonage_conversation_id, vonage_member_id, vonage_desk_member_id, vonage_lease_holder,
             vonage_lease_until
        FROM tickets
       WHERE vonage_conversation_id IS NOT NULL OR vonage_member_id IS NOT NULL
          OR vonage_desk_member_id IS NOT NULL OR vonage_lease_holder IS NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE tickets
        DROP COLUMN vonage_conversation_id,
        DROP COLUMN vonage_member_id,
        DROP COLUMN vonage_desk_member_id,
        DROP COLUMN vonage_lease_holder,
        DROP COLUMN vonage_lease_until`);
    await queryRunner.query('ALTER TABLE users DROP COLUMN vonage_user_id');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users ADD COLUMN vonage_user_id text');
    await queryRunner.query(
      `CREATE UNIQUE INDEX users_vonage_user ON users (vonage_user_id) WHERE vonage_user_id IS NOT NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN vonage_conversation_id text,
        ADD COLUMN vonage_member_id text,
        ADD COLUMN vonage_desk_member_id text,
        ADD COLUMN vonage_lease_holder uuid,
        ADD COLUMN vonage_lease_until timestamptz`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX tickets_vonage_conversation ON tickets (vonage_conversation_id)
         WHERE vonage_conversation_id IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE users u SET vonage_user_id = v.user_id FROM vonage_users v WHERE v.customer_id = u.id`,
    );
    await queryRunner.query(`
      UPDATE tickets t
         SET vonage_conversation_id = v.conversation_id, vonage_member_id = v.member_id,
             vonage_desk_member_id = v.desk_member_id, vonage_lease_holder = v.lease_holder,
             vonage_lease_until = v.lease_until
        FROM vonage_conversations v WHERE v.ticket_id = t.id`);
    await queryRunner.query('DROP TABLE vonage_conversations');
    await queryRunner.query('DROP TABLE vonage_users');
  }
}
