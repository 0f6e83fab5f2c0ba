import { Vonage } from '@vonage/server-sdk';
import { isGsm7 } from '@switchboard/contracts';
import { SmsSendError, type OutboundSms, type SmsProvider, type SmsSendResult } from './sms-provider';

export interface VonageSmsProviderConfig {
  apiKey: string;
  apiSecret: string;
  /** Vonage's SMS host (default https://rest.nexmo.com); an emulator's URL in tests. */
  restHost?: string;
  /** Whole request, from connecting to reading the answer. Default 10 000. */
  timeoutMs?: number;
  /** Where Vonage posts the delivery receipts of these messages; unset: the account's dashboard setting. */
  statusCallbackUrl?: string;
}

type SmsParams = NonNullable<Parameters<Vonage['sms']['send']>[0]>;

/** One element of `messages[]`: the raw kebab-case fields, plus the camelCase copies the SDK adds. */
interface VonagePart {
  status?: unknown;
  'message-id'?: string;
  messageId?: string;
  'error-text'?: string;
  errorText?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Throttled, internal error, too many binds: Vonage says to back off and try again. */
const RETRYABLE_STATUSES = new Set(['1', '5', '10']);

/**
 * Sends through Vonage's SMS API (`POST /sms/json`) with `@vonage/server-sdk`, and turns every way
 * it can fail into an `SmsSendError` saying whether a retry makes sense. Logs nothing: the caller
 * logs the outcome. Error messages are redacted of the API secret (and of the Basic credentials),
 * and never carry the SDK's error, whose request options hold the Authorization header.
 */
export class VonageSmsProvider implements SmsProvider {
  readonly name = 'vonage';
  private readonly vonage: Vonage;
  private readonly timeoutMs: number;
  private readonly statusCallbackUrl?: string;
  private readonly secrets: string[];

  constructor(config: VonageSmsProviderConfig) {
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.statusCallbackUrl = config.statusCallbackUrl;
    this.vonage = new Vonage(
      // No private key (the SMS API takes the key and secret), but a string: the SDK's `existsSync()` of
      // an undefined one is a deprecation warning (DEP0187) at every start on Node 24.
      { apiKey: config.apiKey, apiSecret: config.apiSecret, privateKey: '' },
      { restHost: config.restHost, timeout: this.timeoutMs },
    );
    this.secrets = [
      config.apiSecret,
      Buffer.from(`${config.apiKey}:${config.apiSecret}`).toString('base64'),
    ].filter((secret) => secret.length > 0);
  }

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    const params: SmsParams = {
      to: sms.to.replace(/^\+/, ''),
      // A number loses its "+"; an alphanumeric sender id is sent as it is.
      from: /^\+\d+$/.test(sms.from) ? sms.from.slice(1) : sms.from,
      text: sms.text,
      clientRef: sms.clientRef,
      type: (isGsm7(sms.text) ? 'text' : 'unicode') as SmsParams['type'],
      statusReportReq: true,
      ...(this.statusCallbackUrl ? { callback: this.statusCallbackUrl } : {}),
    };

    let parts: VonagePart[];
    try {
      parts = (await this.vonage.sms.send(params)).messages ?? [];
    } catch (error) {
      // Any part with a non-zero status makes the SDK throw. Which of its two errors it throws is
      // unreliable (it compares the string "message-count" with a number, so a total failure comes
      // out as a partial one): decide from the parts themselves.
      if (!isSmsFailure(error)) throw this.transportError(error);
      parts = error.getMessages();
    }

    const sent = parts.filter((part) => String(part.status) === '0');
    if (sent.length > 0) {
      // Some parts of a long text may have been refused while others went out. That still counts
      // as sent: the customer already has part of it, and sending again would duplicate those parts.
      return {
        providerMessageIds: sent
          .map((part) => part['message-id'] ?? part.messageId)
          .filter((id): id is string => typeof id === 'string' && id !== ''),
      };
    }
    if (parts.length === 0) {
      // HTTP 200 without any part status: not something Vonage does; a retry would likely get the same.
      throw new SmsSendError('Vonage answered without the status of any message', false, 'no messages');
    }
    throw this.rejection(parts);
  }

  /** Every part failed. Worth retrying only if every failure is a transient one. */
  private rejection(failed: VonagePart[]): SmsSendError {
    const decisive = failed.find((part) => !RETRYABLE_STATUSES.has(String(part.status))) ?? failed[0];
    const status = String(decisive.status);
    const errorText =
      decisive['error-text'] ?? decisive.errorText ?? `Vonage refused the message (status ${status})`;
    return new SmsSendError(this.redact(errorText), RETRYABLE_STATUSES.has(status), status);
  }

  private transportError(error: unknown): SmsSendError {
    const { name, message, code, response } = (error ?? {}) as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      response?: { status?: unknown; statusText?: unknown };
    };
    const detail = this.redact(typeof message === 'string' ? message : String(error));

    if (name === 'AbortError') {
      // The request may have reached Vonage; retrying is still the better bet than dropping the message.
      return new SmsSendError(`Vonage did not answer within ${this.timeoutMs} ms`, true, 'timeout');
    }
    if (typeof response?.status === 'number') {
      const httpStatus = response.status;
      if (httpStatus >= 200 && httpStatus < 300) {
        // The SDK could not decode a 2xx body. Whether the SMS went out is unknown; not retried, so
        // that a broken answer does not turn into repeated sends.
        return new SmsSendError(`Vonage answered HTTP ${httpStatus}: ${detail}`, false, `http ${httpStatus}`);
      }
      const statusText =
        typeof response.statusText === 'string' && response.statusText ? ` ${response.statusText}` : '';
      const retryable = httpStatus >= 500 || httpStatus === 429 || httpStatus === 408;
      return new SmsSendError(
        `Vonage answered HTTP ${httpStatus}${statusText}`,
        retryable,
        `http ${httpStatus}`,
      );
    }
    if (name === 'FetchError' || (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code))) {
      const networkStatus = typeof code === 'string' ? `network ${code}` : 'network';
      return new SmsSendError(`Vonage could not be reached: ${detail}`, true, networkStatus);
    }
    // Not from the network or Vonage: a bad configuration (e.g. restHost not a URL) or a bug.
    return new SmsSendError(`Vonage send failed: ${detail}`, false);
  }

  private redact(text: string): string {
    return this.secrets.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
  }
}

function isSmsFailure(error: unknown): error is { getMessages(): VonagePart[] } {
  return typeof (error as { getMessages?: unknown } | null)?.getMessages === 'function';
}
