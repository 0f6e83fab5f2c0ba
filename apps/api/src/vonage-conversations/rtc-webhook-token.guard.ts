import { pathTokenGuard } from '../http/path-token.guard';

/**
 * Vonage does not sign RTC webhooks, so their URL carries a secret: only `/webhooks/rtc/<token>` with
 * VONAGE_RTC_WEBHOOK_TOKEN answers. Its route always has a token, so without Vonage Conversations it is
 * always an ordinary 404.
 */
export const RtcWebhookTokenGuard = pathTokenGuard((config) => config.conversations?.rtcWebhookToken);
