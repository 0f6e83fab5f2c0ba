-- The thread's part of an inbound message, called by sms_receive (which holds the sender's lock):
-- find, reopen or open the customer's ticket on the channel, and append the message to it. Kept apart
-- from the SMS rules: the thread core owns every write to tickets and messages.
--
-- p_on_resolved says what a customer without an unresolved ticket does to their latest one:
--   'join'   the message joins it, however old, and never reopens it (SMS keywords: STOP, START, HELP);
--   'reopen' one resolved within p_reopen_days is reopened, with a status event in the thread;
--   'keep'   one resolved within p_reopen_days takes the message and stays resolved (a bare "ok").
-- Otherwise a new ticket is opened with INSERT … ON CONFLICT DO NOTHING against the partial unique
-- index tickets_one_unresolved: the constraint, not the lock, guarantees one unresolved ticket per
-- customer and channel.
CREATE OR REPLACE FUNCTION thread_inbound(
  p_customer bigint,
  p_channel text,
  p_support_number text,
  p_on_resolved text,
  p_reopen_days int,
  p_body text,
  p_payload jsonb,
  p_provider text,
  p_provider_message_id text,
  OUT ticket_id bigint,
  OUT message_id bigint,
  OUT opened boolean,
  OUT reopened boolean
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_ticket tickets%ROWTYPE;
BEGIN
  opened := false;
  reopened := false;
  SELECT * INTO v_ticket FROM tickets t
   WHERE t.customer_id = p_customer AND t.channel = p_channel AND t.status <> 'resolved';
  IF NOT FOUND THEN
    SELECT * INTO v_ticket FROM tickets t
     WHERE t.customer_id = p_customer AND t.channel = p_channel ORDER BY t.id DESC LIMIT 1;
    IF FOUND AND p_on_resolved = 'join' THEN
      NULL;
    ELSIF FOUND AND v_ticket.resolved_at > now() - make_interval(days => p_reopen_days) THEN
      IF p_on_resolved = 'reopen' THEN
        UPDATE tickets SET status = 'open', resolved_at = NULL, updated_at = now() WHERE id = v_ticket.id;
        reopened := true;
      END IF;
    ELSE
      INSERT INTO tickets (customer_id, channel, support_number) VALUES (p_customer, p_channel, p_support_number)
        ON CONFLICT (customer_id, channel) WHERE status <> 'resolved' DO NOTHING
        RETURNING * INTO v_ticket;
      IF v_ticket.id IS NULL THEN
        SELECT * INTO v_ticket FROM tickets t
         WHERE t.customer_id = p_customer AND t.channel = p_channel AND t.status <> 'resolved';
      ELSE
        opened := true;
      END IF;
    END IF;
  END IF;
  ticket_id := v_ticket.id;

  INSERT INTO messages (ticket_id, direction, author_id, body, payload, provider, provider_message_id, status)
  VALUES (v_ticket.id, 'in', p_customer, p_body, p_payload, p_provider, p_provider_message_id, 'received')
  RETURNING id INTO message_id;
  IF reopened THEN
    INSERT INTO messages (ticket_id, direction, author_id, kind, payload)
    VALUES (v_ticket.id, 'in', p_customer, 'event',
            jsonb_build_object('type', 'status_changed', 'from', 'resolved', 'to', 'open',
                               'reason', 'customer_message'));
  END IF;
END $$;
