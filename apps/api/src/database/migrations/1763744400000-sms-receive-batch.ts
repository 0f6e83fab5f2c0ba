import type { MigrationInterface } from 'typeorm';

/**
 * Inbound SMS that arrive together are stored together: `sms_receive_batch` runs `sms_receive` for
 * each item of a JSON array in one transaction. It is defined in src/sms/inbound/sms-receive-batch.sql
 * (applied after the migrations: database/sql-files.ts); this migration, which created it at first, is
 * kept so that the list of migrations applied stays the same everywhere.
 */
export class SmsReceiveBatch1763744400000 implements MigrationInterface {
  name = 'SmsReceiveBatch1763744400000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
