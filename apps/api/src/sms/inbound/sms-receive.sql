-- The whole unit of work of one inbound SMS, called once per webhook by InboundSmsRepository (and per
-- item by sms_receive_batch): one round trip. See docs/architecture.md, "SMS support". Its parts, each
-- in its own file: webhook_nonce_claim (../webhook-nonces.sql), sms_consent (sms-consent.sql),
-- thread_inbound (thread-inbound.sql) and sms_automated_reply (sms-automated-reply.sql). Calls cost
-- PostgreSQL CPU: the split made a known customer's message ~5-7 µs dearer (~110 -> ~116 µs in a loop
-- inside PostgreSQL), nearly all of it calling thread_inbound, which returns several values; a part
-- returning one value costs well under 1 µs. So the customer lookup stays here, and the other parts
-- return one value.

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
  v_existing_ticket bigint;
  v_existing_message bigint;
  v_customer bigint;
  v_opted_out timestamptz;
  v_thread record;
  v_reply bigint;
BEGIN
  IF p_intent NOT IN ('message', 'ack', 'opt_out', 'opt_in', 'help') THEN
    RAISE EXCEPTION 'unknown intent %', p_intent;
  END IF;
  IF p_nonce IS NOT NULL AND NOT webhook_nonce_claim(p_nonce, p_signature) THEN
    RETURN QUERY SELECT 'replayed_nonce', NULL::bigint, NULL::bigint, false, false, NULL::bigint;
    RETURN;
  END IF;

  -- One customer's messages are taken one at a time, so the ticket rules see each other's effects,
  -- and a retry racing its original finds it stored.
  PERFORM pg_advisory_xact_lock(hashtextextended('sms-customer:' || p_msisdn, 0));
  SELECT m.id, m.ticket_id INTO v_existing_message, v_existing_ticket
    FROM messages m WHERE m.provider = 'vonage' AND m.provider_message_id = p_message_id;
  IF FOUND THEN
    RETURN QUERY SELECT 'duplicate', v_existing_ticket, v_existing_message, false, false, NULL::bigint;
    RETURN;
  END IF;

  -- Most messages come from known customers: look up first, insert only when new.
  SELECT u.id, u.sms_opted_out_at INTO v_customer, v_opted_out FROM users u WHERE u.phone = p_msisdn;
  IF NOT FOUND THEN
    INSERT INTO users (role, phone) VALUES ('customer', p_msisdn)
      ON CONFLICT (phone) DO NOTHING RETURNING id, sms_opted_out_at INTO v_customer, v_opted_out;
    IF v_customer IS NULL THEN
      SELECT u.id, u.sms_opted_out_at INTO v_customer, v_opted_out FROM users u WHERE u.phone = p_msisdn;
    END IF;
  END IF;

  v_opted_out := sms_consent(v_customer, v_opted_out, p_intent, p_body);
  -- Keywords join the latest ticket and never reopen it; a bare acknowledgement does not reopen one.
  v_thread := thread_inbound(v_customer, 'sms', p_to,
                             CASE p_intent WHEN 'message' THEN 'reopen' WHEN 'ack' THEN 'keep' ELSE 'join' END,
                             p_reopen_days, p_body, p_payload, 'vonage', p_message_id);
  v_reply := sms_automated_reply(v_thread.ticket_id, v_customer, v_opted_out,
                                 p_intent, v_thread.opened, p_confirmation, p_help_reply, p_reply_provider,
                                 p_reply_blocked, p_auto_per_number_per_hour, p_auto_per_minute);

  RETURN QUERY SELECT 'stored', v_thread.ticket_id, v_thread.message_id, v_thread.opened, v_thread.reopened,
                      v_reply;
END $$;
