import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Click-to-call (voice/). A row of `calls` is one "call me back" from a chat: the customer's number,
 * the agent's it is connected to, the provider's ids for the call (`conversation_uuid`) and each leg,
 * where it is, and its outcome and talk time once over. `call_events` holds each (leg, status) the
 * provider reported once, so a webhook sent twice records nothing twice. `sandbox_call_legs` are the
 * sandbox's simulated phone calls: what the phone simulator rings, answers or declines.
 */
export class VoiceCalls1763776800000 implements MigrationInterface {
  name = 'VoiceCalls1763776800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE calls (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        customer_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        agent_id bigint REFERENCES users (id) ON DELETE SET NULL,
        -- callback: we call the customer's phone; browser: the customer calls from the chat page.
        kind text NOT NULL DEFAULT 'callback' CHECK (kind IN ('callback', 'browser')),
        customer_phone text CHECK (customer_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        agent_phone text NOT NULL CHECK (agent_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        provider text NOT NULL,
        conversation_uuid text UNIQUE,
        -- A browser call reaches the agent by a call of its own, joined in a named conversation.
        agent_conversation_uuid text UNIQUE,
        customer_leg text UNIQUE,
        agent_leg text UNIQUE,
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'ringing', 'answered',
          'connected', 'completed', 'busy', 'failed', 'timeout', 'cancelled', 'unanswered', 'rejected')),
        detail text,
        duration_seconds int,
        created_at timestamptz NOT NULL DEFAULT now(),
        connected_at timestamptz,
        ended_at timestamptz,
        CHECK (kind = 'browser' OR customer_phone IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX calls_ticket_recent ON calls (ticket_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE call_events (
        call_id bigint NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        leg text NOT NULL,
        status text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (call_id, leg, status)
      )`);
    await queryRunner.query(`
      CREATE TABLE sandbox_call_legs (
        uuid uuid PRIMARY KEY,
        conversation_uuid text NOT NULL,
        to_number text NOT NULL,
        from_number text NOT NULL,
        status text NOT NULL,
        ncco jsonb NOT NULL DEFAULT '[]',
        event_url text NOT NULL,
        -- A leg a caller's connect rang: the caller, and where its NCCO goes on when this one is not answered.
        caller_uuid uuid,
        caller_resumes_at int,
        -- The named conversation the leg joined (an NCCO's conversation action); legs in one end together.
        conversation_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        ended_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX sandbox_call_legs_to ON sandbox_call_legs (to_number, created_at)`);
    await queryRunner.query(
      `CREATE INDEX sandbox_call_legs_conversation ON sandbox_call_legs (conversation_uuid)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sandbox_call_legs`);
    await queryRunner.query(`DROP TABLE call_events`);
    await queryRunner.query(`DROP TABLE calls`);
  }
}
