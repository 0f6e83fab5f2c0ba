import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that end before their tokens expire: agents can be disabled, a customer's chat links can
 * be withdrawn (each link carries the epoch it was issued in), and every instance learns of a revoked
 * session from `session_revocations`. Rate limits are counted here too, so they hold across instances.
 */
export class SessionsThatEnd1763751600000 implements MigrationInterface {
  name = 'SessionsThatEnd1763751600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN chat_link_epoch integer NOT NULL DEFAULT 0`);
    // Where each sign-in came from (the client's address behind TRUST_PROXY), for the audit trail.
    await queryRunner.query(`
      ALTER TABLE agent_sessions
        ADD COLUMN created_ip inet,
        ADD COLUMN user_agent text`);
    // subject: 'agent-session:<id>' (every token of that sign-in) or 'customer:<id>' (chat sessions
    // from links older than epoch). Read by every instance every few seconds; kept a day.
    await queryRunner.query(`
      CREATE TABLE session_revocations (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        epoch integer,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX session_revocations_created ON session_revocations (created_at)`);
    await queryRunner.query(`
      CREATE TABLE rate_limit_counters (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE rate_limit_counters');
    await queryRunner.query('DROP TABLE session_revocations');
    await queryRunner.query('ALTER TABLE agent_sessions DROP COLUMN user_agent, DROP COLUMN created_ip');
    await queryRunner.query('ALTER TABLE users DROP COLUMN chat_link_epoch, DROP COLUMN disabled_at');
  }
}
