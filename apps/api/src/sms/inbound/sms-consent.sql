-- STOP and START: whether a customer lets us text them, kept on their users row (sms_opted_out_at,
-- and the keyword that set it). Called by sms_receive, under the sender's lock, with the customer's
-- opt-out time before this message (NULL: they may be texted); returns it after this message.
-- Automated replies, HELP's included, respect it (sms_automated_reply).
CREATE OR REPLACE FUNCTION sms_consent(p_customer bigint, p_opted_out_at timestamptz, p_intent text, p_body text)
RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN
  IF p_intent = 'opt_out' THEN
    UPDATE users SET sms_opted_out_at = now(), sms_opt_out_source = 'sms: ' || upper(btrim(p_body)),
                     updated_at = now()
     WHERE id = p_customer;
    RETURN now();
  END IF;
  IF p_intent = 'opt_in' AND p_opted_out_at IS NOT NULL THEN
    UPDATE users SET sms_opted_out_at = NULL, sms_opt_out_source = NULL, updated_at = now()
     WHERE id = p_customer;
    RETURN NULL;
  END IF;
  RETURN p_opted_out_at;
END $$;
