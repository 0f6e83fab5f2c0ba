-- The single use of a signed webhook's nonce, decided here only: WebhookNoncesRepository.claim (parts of
-- multipart SMS, delivery receipts) and sms_receive (whole inbound SMS, in its one round trip) call it.
-- The first request claims the nonce; the identical request again (same nonce and signature) is the same
-- delivery retried, which may go on and is then found to be a duplicate; any other request with that
-- nonce is a replay. False for a replay.
CREATE OR REPLACE FUNCTION webhook_nonce_claim(p_nonce text, p_signature text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_nonces (nonce, signature) VALUES (p_nonce, p_signature) ON CONFLICT DO NOTHING;
  IF FOUND THEN
    RETURN true;
  END IF;
  -- A statement of its own, so it sees the claim of an identical retry that committed while the insert
  -- waited for it (in one statement with the insert it would not).
  RETURN EXISTS (SELECT 1 FROM webhook_nonces WHERE nonce = p_nonce AND signature = p_signature);
END $$;
