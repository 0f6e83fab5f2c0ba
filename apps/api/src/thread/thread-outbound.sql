-- The thread's part of a message Switchboard sends on its own (an automated SMS reply), called by
-- sms_automated_reply inside sms_receive: append it to the ticket, `queued` for its channel's send job
-- or `suppressed` with the reason agents see. The thread core owns every write to `messages`; this is
-- its SQL form for callers that are themselves database functions. Returns the message id.
CREATE OR REPLACE FUNCTION thread_outbound(
  p_ticket bigint,
  p_body text,
  p_payload jsonb,
  p_provider text,
  p_status text,
  p_error text
) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO messages (ticket_id, direction, body, payload, provider, status, error)
  VALUES (p_ticket, 'out', p_body, p_payload, p_provider, p_status, p_error)
  RETURNING id
$$;
