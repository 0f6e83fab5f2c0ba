-- The automated SMS a message earns, stored in its thread (through thread_outbound): the HELP reply, or the confirmation of a
-- ticket this message opened (`{ticket}` replaced by its number). Called by sms_receive under the
-- sender's lock; returns the reply's message id, or NULL when none is due.
--
-- Automated SMS cost money and can be abused (SMS pumping): they go only to allowed destinations
-- (p_reply_blocked, decided by the caller, which knows the countries), at most
-- p_auto_per_number_per_hour to one number and p_auto_per_minute in all (sms_auto_minute_take,
-- shared by every instance and by the agents' chat alerts). A reply held back, or to a customer who
-- opted out, is kept in the thread as `suppressed` with the reason, for agents to see; one sent is
-- queued with its sms.send job in the same transaction.
CREATE OR REPLACE FUNCTION sms_automated_reply(
  p_ticket bigint,
  p_customer bigint,
  p_opted_out_at timestamptz,
  p_intent text,
  p_ticket_opened boolean,
  p_confirmation text,
  p_help_reply text,
  p_reply_provider text,
  p_reply_blocked text,
  p_auto_per_number_per_hour int,
  p_auto_per_minute int
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_body text;
  v_kind text;
  v_suppressed text;
  v_reply bigint;
BEGIN
  IF p_intent = 'help' THEN
    v_kind := 'help';
    v_body := p_help_reply;
  ELSIF p_ticket_opened AND p_intent IN ('message', 'ack') AND p_confirmation IS NOT NULL THEN
    v_kind := 'confirmation';
    v_body := replace(p_confirmation, '{ticket}', p_ticket::text);
  END IF;
  IF v_body IS NULL THEN
    RETURN NULL;
  END IF;

  IF p_opted_out_at IS NOT NULL THEN
    v_suppressed := 'Not sent: the customer opted out of SMS (STOP)';
  ELSIF p_reply_blocked IS NOT NULL THEN
    v_suppressed := p_reply_blocked;
  ELSIF (SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
          WHERE t.customer_id = p_customer AND t.channel = 'sms' AND m.direction = 'out'
            AND m.payload ? 'automated' AND m.status <> 'suppressed'
            AND m.created_at > now() - interval '1 hour') >= p_auto_per_number_per_hour THEN
    v_suppressed := format('Not sent: this number already got %s automated SMS in the last hour '
                           '(SMS_AUTO_PER_NUMBER_PER_HOUR)', p_auto_per_number_per_hour);
  ELSIF NOT sms_auto_minute_take(p_auto_per_minute) THEN
    v_suppressed := format('Not sent: %s automated SMS already went out this minute (SMS_AUTO_PER_MINUTE)',
                           p_auto_per_minute);
  END IF;

  v_reply := thread_outbound(p_ticket, v_body, jsonb_build_object('automated', v_kind), p_reply_provider,
                             CASE WHEN v_suppressed IS NULL THEN 'queued' ELSE 'suppressed' END, v_suppressed);
  IF v_suppressed IS NULL THEN
    PERFORM enqueue_job('sms.send', jsonb_build_object('messageId', v_reply));
  END IF;
  RETURN v_reply;
END $$;
