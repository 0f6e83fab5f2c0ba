import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers, tickets and their threads, the inbound-SMS buffers, and the two database functions of
 * the SMS hot path: `enqueue_job` (a pg-boss job inside the caller's transaction) and `sms_receive`
 * (the whole unit of work of one inbound SMS in one round trip).
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

    // pg-boss's own insert (plans.js insertJob of pg-boss 10.4.2), reduced to what we use, so a job can
    // be enqueued in the same statement or transaction as the rows it is about. pg-boss is pinned
    // exactly; jobs.db-spec.ts proves its workers run the jobs this function creates.
    await queryRunner.query(`
      CREATE FUNCTION enqueue_job(p_queue text, p_data jsonb, p_start_after timestamptz DEFAULT now())
      RETURNS uuid LANGUAGE plpgsql AS $$
      DECLARE v_id uuid;
      BEGIN
        INSERT INTO pgboss.job (name, data, start_after, retry_limit, retry_delay, retry_backoff, expire_in,
                                keep_until, dead_letter, policy)
        SELECT q.name, p_data, p_start_after,
               COALESCE(q.retry_limit, 2),
               CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(COALESCE(q.retry_delay, 0), 1)
                    ELSE COALESCE(q.retry_delay, 0) END,
               COALESCE(q.retry_backoff, false),
               COALESCE(q.expire_seconds * interval '1 second', interval '15 minutes'),
               p_start_after + COALESCE(q.retention_minutes * interval '1 minute', interval '14 days'),
               q.dead_letter, q.policy
          FROM pgboss.queue q WHERE q.name = p_queue
        RETURNING id INTO v_id;
        IF v_id IS NULL THEN
          RAISE EXCEPTION 'job queue "%" does not exist', p_queue;
        END IF;
        RETURN v_id;
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION sms_receive(
        p_message_id text,
        p_msisdn text,
        p_to text,
        p_body text,
        p_payload jsonb,
        p_intent text,
        p_reopen_days int,
        p_confirmation text,
        p_help_reply text,
        p_reply_provider text,
        p_nonce text DEFAULT NULL,
        p_signature text DEFAULT NULL
      ) RETURNS TABLE (outcome text, ticket_id bigint, message_id bigint, ticket_opened boolean,
                       ticket_reopened boolean, reply_id bigint)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_customer bigint;
        v_existing_ticket bigint;
        v_opted_out timestamptz;
        v_ticket tickets%ROWTYPE;
        v_message bigint;
        v_opened boolean := false;
        v_reopened boolean := false;
        v_reply_body text;
        v_reply_kind text;
        v_reply bigint;
      BEGIN
        IF p_intent NOT IN ('message', 'ack', 'opt_out', 'opt_in', 'help') THEN
          RAISE EXCEPTION 'unknown intent %', p_intent;
        END IF;
        -- A nonce is used once; the same nonce and signature again is the same delivery retried.
        IF p_nonce IS NOT NULL THEN
          INSERT INTO webhook_nonces (nonce, signature) VALUES (p_nonce, p_signature) ON CONFLICT DO NOTHING;
          IF NOT FOUND AND NOT EXISTS (
            SELECT 1 FROM webhook_nonces WHERE nonce = p_nonce AND signature = p_signature
          ) THEN
            RETURN QUERY SELECT 'replayed_nonce', NULL::bigint, NULL::bigint, false, false, NULL::bigint;
            RETURN;
          END IF;
        END IF;

        -- Replays are read-only and take no lock.
        SELECT m.id, m.ticket_id INTO v_message, v_existing_ticket
          FROM messages m WHERE m.provider = 'vonage' AND m.provider_message_id = p_message_id;
        IF FOUND THEN
          RETURN QUERY SELECT 'duplicate', v_existing_ticket, v_message, false, false, NULL::bigint;
          RETURN;
        END IF;

        -- One customer's messages are taken one at a time, so the ticket rules below see each other's
        -- effects; the unique index on tickets still guarantees one unresolved ticket regardless.
        PERFORM pg_advisory_xact_lock(hashtextextended('sms-customer:' || p_msisdn, 0));
        SELECT m.id, m.ticket_id INTO v_message, v_existing_ticket
          FROM messages m WHERE m.provider = 'vonage' AND m.provider_message_id = p_message_id;
        IF FOUND THEN
          RETURN QUERY SELECT 'duplicate', v_existing_ticket, v_message, false, false, NULL::bigint;
          RETURN;
        END IF;

        INSERT INTO users (role, phone) VALUES ('customer', p_msisdn)
          ON CONFLICT (phone) DO NOTHING RETURNING id, sms_opted_out_at INTO v_customer, v_opted_out;
        IF v_customer IS NULL THEN
          SELECT id, sms_opted_out_at INTO v_customer, v_opted_out FROM users WHERE phone = p_msisdn;
        END IF;
        IF p_intent = 'opt_out' THEN
          v_opted_out := now();
          UPDATE users SET sms_opted_out_at = v_opted_out, sms_opt_out_source = 'sms: ' || upper(btrim(p_body)),
                           updated_at = now()
           WHERE id = v_customer;
        ELSIF p_intent = 'opt_in' AND v_opted_out IS NOT NULL THEN
          v_opted_out := NULL;
          UPDATE users SET sms_opted_out_at = NULL, sms_opt_out_source = NULL, updated_at = now() WHERE id = v_customer;
        END IF;

        SELECT * INTO v_ticket FROM tickets t
         WHERE t.customer_id = v_customer AND t.channel = 'sms' AND t.status <> 'resolved';
        IF NOT FOUND THEN
          SELECT * INTO v_ticket FROM tickets t
           WHERE t.customer_id = v_customer AND t.channel = 'sms' ORDER BY t.id DESC LIMIT 1;
          IF FOUND AND p_intent IN ('opt_out', 'opt_in', 'help') THEN
            NULL; -- keywords join the latest ticket and never reopen it
          ELSIF FOUND AND v_ticket.resolved_at > now() - make_interval(days => p_reopen_days) THEN
            IF p_intent = 'message' THEN
              UPDATE tickets SET status = 'open', resolved_at = NULL, updated_at = now() WHERE id = v_ticket.id;
              v_reopened := true;
            END IF; -- a bare acknowledgement is kept without reopening
          ELSE
            INSERT INTO tickets (customer_id, channel, support_number) VALUES (v_customer, 'sms', p_to)
              ON CONFLICT (customer_id, channel) WHERE status <> 'resolved' DO NOTHING
              RETURNING * INTO v_ticket;
            IF v_ticket.id IS NULL THEN
              SELECT * INTO v_ticket FROM tickets t
               WHERE t.customer_id = v_customer AND t.channel = 'sms' AND t.status <> 'resolved';
            ELSE
              v_opened := true;
            END IF;
          END IF;
        END IF;

        INSERT INTO messages (ticket_id, direction, author_id, body, payload, provider, provider_message_id, status)
        VALUES (v_ticket.id, 'in', v_customer, p_body, p_payload, 'vonage', p_message_id, 'received')
        RETURNING id INTO v_message;
        IF v_reopened THEN
          INSERT INTO messages (ticket_id, direction, author_id, kind, payload)
          VALUES (v_ticket.id, 'in', v_customer, 'event',
                  jsonb_build_object('type', 'status_changed', 'from', 'resolved', 'to', 'open',
                                     'reason', 'customer_message'));
        END IF;
        IF NOT v_opened THEN
          UPDATE tickets SET last_message_at = now(), updated_at = now() WHERE id = v_ticket.id;
        END IF;

        IF p_intent = 'help' THEN
          v_reply_kind := 'help';
          v_reply_body := p_help_reply;
        ELSIF v_opened AND p_intent IN ('message', 'ack') AND p_confirmation IS NOT NULL THEN
          v_reply_kind := 'confirmation';
          v_reply_body := replace(p_confirmation, '{ticket}', v_ticket.id::text);
        END IF;
        IF v_reply_body IS NOT NULL THEN
          IF v_opted_out IS NULL THEN
            INSERT INTO messages (ticket_id, direction, body, payload, provider, status)
            VALUES (v_ticket.id, 'out', v_reply_body, jsonb_build_object('automated', v_reply_kind),
                    p_reply_provider, 'queued')
            RETURNING id INTO v_reply;
            PERFORM enqueue_job('sms.send', jsonb_build_object('messageId', v_reply));
          ELSE
            INSERT INTO messages (ticket_id, direction, body, payload, provider, status, error)
            VALUES (v_ticket.id, 'out', v_reply_body, jsonb_build_object('automated', v_reply_kind),
                    p_reply_provider, 'suppressed', 'Not sent: the customer opted out of SMS (STOP)')
            RETURNING id INTO v_reply;
          END IF;
        END IF;

        RETURN QUERY SELECT 'stored', v_ticket.id, v_message, v_opened, v_reopened, v_reply;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION sms_receive');
    await queryRunner.query('DROP FUNCTION enqueue_job');
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
