-- Takes one automated SMS from this minute's budget (SMS_AUTO_PER_MINUTE), shared by every instance
-- and every kind of automated SMS: a customer's confirmation or HELP reply (sms_automated_reply), an
-- agent's chat alert (agent-alerts/). False when the minute's budget is spent. Swept by
-- OutboundSmsRepository.sweepSendWindows.
CREATE OR REPLACE FUNCTION sms_auto_minute_take(p_per_minute int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sms_auto_minutes (minute, sent) VALUES (date_trunc('minute', now()), 1)
    ON CONFLICT (minute) DO UPDATE SET sent = sms_auto_minutes.sent + 1
    WHERE sms_auto_minutes.sent < p_per_minute;
  RETURN FOUND;
END $$;
