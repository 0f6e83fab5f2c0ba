import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who is working on a chat conversation at Vonage (provisioning it, posting to it), and until when: a
 * lease claimed and renewed with short UPDATEs, so nobody holds a database connection while Vonage is
 * called, and one that crashed frees it by letting it lapse.
 */
export class VonageLease1763748000000 implements MigrationInterface {
  name = 'VonageLease1763748000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN vonage_lease_holder uuid,
        ADD COLUMN vonage_lease_until timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE tickets DROP COLUMN vonage_lease_until, DROP COLUMN vonage_lease_holder`,
    );
  }
}
