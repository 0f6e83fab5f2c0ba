import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a chat conversation lives at Vonage when Vonage Conversations is the chat provider: the
 * conversation, the customer's member and the desk's member (agent replies and order events are posted
 * as the desk). The customer's Vonage user goes in the existing `users.vonage_user_id`, now unique.
 * Mirrored Vonage events are messages with provider `vonage-conversations` and provider message id
 * `<conversation>:<event id>`, made unique by the existing `messages_provider_message_unique`.
 */
export class VonageConversations1763740800000 implements MigrationInterface {
  name = 'VonageConversations1763740800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN vonage_conversation_id text,
        ADD COLUMN vonage_member_id text,
        ADD COLUMN vonage_desk_member_id text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX tickets_vonage_conversation ON tickets (vonage_conversation_id)
         WHERE vonage_conversation_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX users_vonage_user ON users (vonage_user_id) WHERE vonage_user_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX users_vonage_user');
    await queryRunner.query('DROP INDEX tickets_vonage_conversation');
    await queryRunner.query(`
      ALTER TABLE tickets
        DROP COLUMN vonage_desk_member_id,
        DROP COLUMN vonage_member_id,
        DROP COLUMN vonage_conversation_id`);
  }
}
