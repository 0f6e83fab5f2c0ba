-- Inbound SMS that arrive together are stored together (InboundSmsRepository's MicroBatcher):
-- sms_receive for each item of a JSON array, in one transaction, so a busy webhook pays one round trip
-- and one commit per batch instead of per message. The rules are sms_receive's own; every result
-- carries its item's index, for the caller to hand it back to its request.
--
-- Locks: a batch takes every sender's lock first, in the order of the lock keys, and only then does
-- the work, which may take the shared per-minute counter of automated SMS. Everyone else takes at most
-- one sender's lock before that counter, so no cycle can form with a single message, a completed
-- multipart SMS or another instance's batch. A batch that cannot get a lock within half a second gives
-- up (the caller then stores its items one by one) rather than hold up everything queued behind it; so
-- does one that PostgreSQL picks to break a rarer deadlock (the same signed delivery in a batch and
-- alone at once, both claiming its nonce).
CREATE OR REPLACE FUNCTION sms_receive_batch(
  p_items jsonb,
  p_reopen_days int,
  p_confirmation text,
  p_help_reply text,
  p_reply_provider text,
  p_auto_per_number_per_hour int,
  p_auto_per_minute int
) RETURNS TABLE (idx int, outcome text, ticket_id bigint, message_id bigint, ticket_opened boolean,
                 ticket_reopened boolean, reply_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_key bigint;
  v_item record;
BEGIN
  PERFORM set_config('lock_timeout', '500ms', true);
  FOR v_key IN
    SELECT DISTINCT hashtextextended('sms-customer:' || (item ->> 'msisdn'), 0)
      FROM jsonb_array_elements(p_items) AS item
     ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;

  FOR v_item IN
    SELECT (i.ord - 1)::int AS idx, i.item
      FROM jsonb_array_elements(p_items) WITH ORDINALITY AS i(item, ord)
     ORDER BY i.ord
  LOOP
    RETURN QUERY SELECT v_item.idx, r.* FROM sms_receive(
      v_item.item ->> 'messageId', v_item.item ->> 'msisdn', v_item.item ->> 'to', v_item.item ->> 'body',
      v_item.item -> 'payload', v_item.item ->> 'intent', p_reopen_days, p_confirmation, p_help_reply,
      p_reply_provider, v_item.item ->> 'nonce', v_item.item ->> 'signature', v_item.item ->> 'replyBlocked',
      p_auto_per_number_per_hour, p_auto_per_minute) AS r;
  END LOOP;
END $$;
