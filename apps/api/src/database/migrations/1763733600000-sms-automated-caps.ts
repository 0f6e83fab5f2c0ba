import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nobody on the internet can make Switchboard text arbitrary numbers (SMS pumping): `sms_receive`
 * sends its automated replies (confirmation, HELP) only to allowed destinations (decided by the caller,
 * which knows the countries), at most SMS_AUTO_PER_NUMBER_PER_HOUR to one number and
 * SMS_AUTO_PER_MINUTE in all (counted per minute in `sms_auto_minutes`, shared by every instance).
 * Anything held back is kept in the thread as `suppressed`, with the reason, for agents to see.
 * The rules are in `sms_receive` (src/sms/inbound/sms-receive.sql, applied after the migrations); this
 * migration keeps the counter.
 */
export class SmsAutomatedCaps1763733600000 implements MigrationInterface {
  name = 'SmsAutomatedCaps1763733600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sms_auto_minutes (
        minute timestamptz PRIMARY KEY,
        sent int NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sms_auto_minutes');
  }
}
