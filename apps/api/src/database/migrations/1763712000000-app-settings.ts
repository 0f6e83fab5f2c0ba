import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Installation-wide settings the app generates once and keeps (e.g. sandbox credentials). */
export class AppSettings1763712000000 implements MigrationInterface {
  name = 'AppSettings1763712000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE app_settings (
        key text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE app_settings');
  }
}
