/** Injection token of the SMS provider chosen at boot (Vonage, or the sandbox without credentials). */
export const SMS_PROVIDER = Symbol('SmsProvider');

export interface OutboundSms {
  /** Recipient in E.164 with `+`. */
  to: string;
  /** Our number (E.164 with `+`) or an alphanumeric sender id. */
  from: string;
  text: string;
  /** Our message id: echoed in delivery receipts, so a receipt can find its message before the send returned. */
  clientRef: string;
}

export interface SmsSendResult {
  /** The provider's id of each part, in order (a long text goes out as several parts). */
  providerMessageIds: string[];
}

/** A send that did not go out. `retryable`: worth trying again later (throttling, 5xx, network). */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The provider's own status or HTTP code, e.g. "1" (throttled) or "http 500". */
    readonly providerStatus?: string,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

export interface SmsProvider {
  readonly name: 'vonage' | 'sandbox';
  send(sms: OutboundSms): Promise<SmsSendResult>;
}
