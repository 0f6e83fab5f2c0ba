import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Less work on the inbound-SMS common path (a known customer's new message), measured with
 * `pnpm bench:sms`. Every message updates its ticket (seq, last activity): without an index on
 * `last_message_at`, and with room left in each page, that update is a HOT update that touches no
 * index, instead of adding an entry to all four. The inbox sorts tickets by activity without it.
 * (`sms_receive`'s share of the change, one duplicate check under the customer's lock and a lookup
 * before an insert, is in src/sms/inbound/sms-receive.sql, applied after the migrations.)
 */
export class SmsReceiveCommonPath1763730000000 implements MigrationInterface {
  name = 'SmsReceiveCommonPath1763730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX tickets_last_message');
    await queryRunner.query('ALTER TABLE tickets SET (fillfactor = 70)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tickets RESET (fillfactor)');
    await queryRunner.query('CREATE INDEX tickets_last_message ON tickets (last_message_at DESC)');
  }
}
