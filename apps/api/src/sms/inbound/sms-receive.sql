-- The whole unit of work of one inbound SMS, called once per webhook by InboundSmsRepository (and per
-- item by sms_receive_batch): one round trip. See docs/architecture.md, "SMS support".

-- The signature before the automated-reply caps (migration 1763733600000).
DROP FUNCTION IF EXISTS sms_receive(text, text, text, text, jsonb, text, int, text, text, text, text, text);

CREATE OR REPLACE FUNCTION sms_receive(
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
  p_nonce text,
  p_signature text,
  p_reply_blocked text,
  p_auto_per_number_per_hour int,
  p_auto_per_minute int
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
  v_suppressed text;
BEGIN
  IF p_intent NOT IN ('message', 'ack', 'opt_out', 'opt_in', 'help') THEN
    RAISE EXCEPTION 'unknown intent %', p_intent;
  END IF;
  IF p_nonce IS NOT NULL AND NOT webhook_nonce_claim(p_nonce, p_signature) THEN
    RETURN QUERY SELECT 'replayed_nonce', NULL::bigint, NULL::bigint, false, false, NULL::bigint;
    RETURN;
  END IF;

  -- One customer's messages are taken one at a time, so the ticket rules below see each other's
  -- effects, and a retry racing its original finds it stored; the unique index on tickets still
  -- guarantees one unresolved ticket regardless.
  PERFORM pg_advisory_xact_lock(hashtextextended('sms-customer:' || p_msisdn, 0));
  SELECT m.id, m.ticket_id INTO v_message, v_existing_ticket
    FROM messages m WHERE m.provider = 'vonage' AND m.provider_message_id = p_message_id;
  IF FOUND THEN
    RETURN QUERY SELECT 'duplicate', v_existing_ticket, v_message, false, false, NULL::bigint;
    RETURN;
  END IF;

  -- Most messages come from known customers: look up first, insert only when new.
  SELECT id, sms_opted_out_at INTO v_customer, v_opted_out FROM users WHERE phone = p_msisdn;
  IF NOT FOUND THEN
    INSERT INTO users (role, phone) VALUES ('customer', p_msisdn)
      ON CONFLICT (phone) DO NOTHING RETURNING id, sms_opted_out_at INTO v_customer, v_opted_out;
    IF v_customer IS NULL THEN
      SELECT id, sms_opted_out_at INTO v_customer, v_opted_out FROM users WHERE phone = p_msisdn;
    END IF;
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

  IF p_intent = 'help' THEN
    v_reply_kind := 'help';
    v_reply_body := p_help_reply;
  ELSIF v_opened AND p_intent IN ('message', 'ack') AND p_confirmation IS NOT NULL THEN
    v_reply_kind := 'confirmation';
    v_reply_body := replace(p_confirmation, '{ticket}', v_ticket.id::text);
  END IF;
  -- Automated SMS cost money and can be abused (SMS pumping): they go only to allowed
  -- destinations, at most p_auto_per_number_per_hour to one number and p_auto_per_minute in all.
  IF v_reply_body IS NOT NULL AND v_opted_out IS NULL THEN
    IF p_reply_blocked IS NOT NULL THEN
      v_suppressed := p_reply_blocked;
    ELSIF (SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
            WHERE t.customer_id = v_customer AND t.channel = 'sms' AND m.direction = 'out'
              AND m.payload ? 'automated' AND m.status <> 'suppressed'
              AND m.created_at > now() - interval '1 hour') >= p_auto_per_number_per_hour THEN
      v_suppressed := format('Not sent: this number already got %s automated SMS in the last hour '
                             '(SMS_AUTO_PER_NUMBER_PER_HOUR)', p_auto_per_number_per_hour);
    ELSE
      INSERT INTO sms_auto_minutes (minute, sent) VALUES (date_trunc('minute', now()), 1)
        ON CONFLICT (minute) DO UPDATE SET sent = sms_auto_minutes.sent + 1
        WHERE sms_auto_minutes.sent < p_auto_per_minute;
      IF NOT FOUND THEN
        v_suppressed := format('Not sent: %s automated SMS already went out this minute (SMS_AUTO_PER_MINUTE)',
                               p_auto_per_minute);
      END IF;
    END IF;
  END IF;
  IF v_reply_body IS NOT NULL THEN
    IF v_opted_out IS NULL AND v_suppressed IS NULL THEN
      INSERT INTO messages (ticket_id, direction, body, payload, provider, status)
      VALUES (v_ticket.id, 'out', v_reply_body, jsonb_build_object('automated', v_reply_kind),
              p_reply_provider, 'queued')
      RETURNING id INTO v_reply;
      PERFORM enqueue_job('sms.send', jsonb_build_object('messageId', v_reply));
    ELSE
      INSERT INTO messages (ticket_id, direction, body, payload, provider, status, error)
      VALUES (v_ticket.id, 'out', v_reply_body, jsonb_build_object('automated', v_reply_kind),
              p_reply_provider, 'suppressed',
              COALESCE(v_suppressed, 'Not sent: the customer opted out of SMS (STOP)'))
      RETURNING id INTO v_reply;
    END IF;
  END IF;

  RETURN QUERY SELECT 'stored', v_ticket.id, v_message, v_opened, v_reopened, v_reply;
END $$;
