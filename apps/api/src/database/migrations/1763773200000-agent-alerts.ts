import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agents on duty get an SMS when a customer opens their chat (agent-alerts/). An agent's mobile is
 * their `users.phone` once confirmed by a code (`agent_mobile_codes` until then): one number, one
 * person, and a STOP from it sets `sms_opted_out_at` like any phone's. Every SMS to an agent (codes,
 * alerts, alerts held back) is a row of `agent_sms`, which is also what the cooldown reads. Thread
 * entries can be `internal`: agents see them, the customer never does (an alert held back, later
 * notes).
 */
export class AgentAlerts1763773200000 implements MigrationInterface {
  name = 'AgentAlerts1763773200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN on_duty boolean NOT NULL DEFAULT false,
        ADD COLUMN quiet_from time,
        ADD COLUMN quiet_to time,
        ADD COLUMN time_zone text,
        ADD CONSTRAINT users_quiet_hours CHECK ((quiet_from IS NULL) = (quiet_to IS NULL)
                                                AND (quiet_from IS NULL OR time_zone IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN internal boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      CREATE TABLE agent_mobile_codes (
        agent_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        code_hash text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE agent_sms (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('code', 'alert')),
        agent_id bigint REFERENCES users (id) ON DELETE CASCADE,
        phone text CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        ticket_id bigint REFERENCES tickets (id) ON DELETE CASCADE,
        body text,
        status text NOT NULL CHECK (status IN ('queued', 'submitted', 'sent', 'delivered', 'failed', 'held')),
        error text,
        provider_message_ids text[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'held' OR (phone IS NOT NULL AND body IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX agent_sms_ticket_alerts ON agent_sms (ticket_id, created_at) WHERE kind = 'alert'`,
    );
    await queryRunner.query(`CREATE INDEX agent_sms_phone_recent ON agent_sms (phone, created_at)`);
    await queryRunner.query(`CREATE INDEX agent_sms_agent_recent ON agent_sms (agent_id, kind, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE agent_sms`);
    await queryRunner.query(`DROP TABLE agent_mobile_codes`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN internal`);
    await queryRunner.query(`
      ALTER TABLE users DROP CONSTRAINT users_quiet_hours, DROP COLUMN on_duty, DROP COLUMN quiet_from,
        DROP COLUMN quiet_to, DROP COLUMN time_zone`);
  }
}
