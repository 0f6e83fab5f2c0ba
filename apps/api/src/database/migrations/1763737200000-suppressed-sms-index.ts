import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SMS held back by the safety rules, found without scanning every message (for /metrics). */
export class SuppressedSmsIndex1763737200000 implements MigrationInterface {
  name = 'SuppressedSmsIndex1763737200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX messages_suppressed ON messages (created_at) WHERE status = 'suppressed'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX messages_suppressed');
  }
}
