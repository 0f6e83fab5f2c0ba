import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers, tickets and their threads, and the inbound-SMS buffers. The database functions of the
 * SMS hot path that this migration created at first, `enqueue_job` and `sms_receive`, are defined in
 * src/jobs/enqueue-job.sql and src/sms/inbound/sms-receive.sql (applied after the migrations:
 * database/sql-files.ts).
 */
export class TicketsAndSms1763715600000 implements MigrationInterface {
  name = 'TicketsAndSms1763715600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        role text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'agent', 'admin')),
        username text UNIQUE,
        name text,
        email text,
        phone text UNIQUE CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        password_hash text,
        vonage_user_id text,
        sms_opted_out_at timestamptz,
        sms_opt_out_source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE tickets (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id bigint NOT NULL REFERENCES users (id),
        channel text NOT NULL CHECK (channel IN ('sms', 'chat')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved')),
        assignee_id bigint REFERENCES users (id),
        support_number text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        last_message_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
      )`);
    // The rule "one unresolved ticket per customer and channel" lives here, not in code.
    await queryRunner.query(`
      CREATE UNIQUE INDEX tickets_one_unresolved ON tickets (customer_id, channel) WHERE status <> 'resolved'`);
    await queryRunner.query(
      `CREATE INDEX tickets_customer_latest ON tickets (customer_id, channel, id DESC)`,
    );
    await queryRunner.query(`CREATE INDEX tickets_last_message ON tickets (last_message_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id bigint NOT NULL REFERENCES tickets (id),
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        author_id bigint REFERENCES users (id),
        kind text NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'event')),
        body text NOT NULL DEFAULT '',
        payload jsonb NOT NULL DEFAULT '{}',
        provider text,
        provider_message_id text,
        status text CHECK (status IN ('received', 'queued', 'submitted', 'sent', 'delivered', 'failed', 'suppressed')),
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT messages_provider_message_unique UNIQUE (provider, provider_message_id)
      )`);
    await queryRunner.query(`CREATE INDEX messages_thread ON messages (ticket_id, id)`);
    // Parts of multipart SMS, one row per delivered part (its Vonage messageId), until assembled.
    await queryRunner.query(`
      CREATE TABLE sms_inbound_parts (
        vonage_message_id text PRIMARY KEY,
        msisdn text NOT NULL,
        to_number text NOT NULL,
        concat_ref text NOT NULL,
        concat_total int NOT NULL CHECK (concat_total BETWEEN 2 AND 255),
        concat_part int NOT NULL CHECK (concat_part BETWEEN 1 AND concat_total),
        body text NOT NULL,
        params jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        message_id bigint REFERENCES messages (id)
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX sms_inbound_parts_pending ON sms_inbound_parts (to_number, msisdn, concat_ref, concat_part)
        WHERE message_id IS NULL`);
    // Signed webhooks: each nonce is good for one delivery (an identical retry is an idempotent duplicate).
    await queryRunner.query(`
      CREATE TABLE webhook_nonces (
        nonce text PRIMARY KEY,
        signature text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_nonces_seen ON webhook_nonces (seen_at)`);
    // Delivery receipts as received, one per part and status; applied to their message when it is known.
    await queryRunner.query(`
      CREATE TABLE sms_delivery_receipts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider_message_id text NOT NULL,
        client_ref text,
        status text NOT NULL,
        error_code text,
        params jsonb NOT NULL,
        message_id bigint REFERENCES messages (id),
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (provider_message_id, status)
      )`);
    await queryRunner.query(
      `CREATE INDEX sms_delivery_receipts_unmatched ON sms_delivery_receipts (provider_message_id) WHERE message_id IS NULL`,
    );
    // Outbound SMS per second, shared by every instance, to stay under the provider's throughput.
    await queryRunner.query(`
      CREATE TABLE sms_send_windows (
        second timestamptz PRIMARY KEY,
        sent int NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'sms_send_windows',
      'sms_delivery_receipts',
      'webhook_nonces',
      'sms_inbound_parts',
      'messages',
      'tickets',
      'users',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
