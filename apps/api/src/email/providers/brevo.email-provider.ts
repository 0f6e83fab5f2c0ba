import { BrevoClient, BrevoError, BrevoTimeoutError, type Brevo } from '@getbrevo/brevo';
import {
  EmailSendError,
  type EmailProvider,
  type EmailSendResult,
  type TemplateEmail,
} from './email-provider';

export interface BrevoEmailProviderConfig {
  apiKey: string;
  /** SENDINBLUE_API_URL: Brevo's API base (default https://api.brevo.com/v3); an emulator's in tests. */
  baseUrl?: string;
  /** A sender verified in the Brevo account. */
  sender: { email: string; name: string };
  /** Whole request, from connecting to reading the answer. Default 15 000. */
  timeoutMs?: number;
}

const DEFAULT_BASE_URL = 'https://api.brevo.com/v3';
const DEFAULT_TIMEOUT_MS = 15_000;
/** Brevo refuses longer display names. */
const MAX_NAME_LENGTH = 70;

/**
 * Sends the order confirmation as a Brevo transactional template (`POST /v3/smtp/email`) with
 * `@getbrevo/brevo`, and turns every way that can fail into an `EmailSendError` saying whether a
 * retry makes sense. The SDK's own retries are off: the job queue retries, with the same idempotency
 * key, and two layers of retries would multiply the attempts. Logs nothing: the caller logs the
 * outcome. Error messages never carry the API key (nor the SDK's error, which holds the response).
 */
export class BrevoEmailProvider implements EmailProvider {
  readonly name = 'brevo';
  private readonly brevo: BrevoClient;
  private readonly sender: { email: string; name: string };
  private readonly timeoutMs: number;
  private readonly apiKey: string;

  constructor(config: BrevoEmailProviderConfig) {
    this.apiKey = config.apiKey;
    this.sender = config.sender;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.brevo = new BrevoClient({
      apiKey: config.apiKey,
      baseUrl: config.baseUrl || DEFAULT_BASE_URL,
      timeoutInSeconds: this.timeoutMs / 1000,
      maxRetries: 0,
      logging: { silent: true },
    });
  }

  async sendTemplate(email: TemplateEmail): Promise<EmailSendResult> {
    if (!Number.isInteger(email.templateId) || email.templateId < 1) {
      // Brevo would refuse it too; not worth a request.
      throw new EmailSendError(
        `Not a Brevo template id: ${String(email.templateId)}`,
        false,
        'invalid template',
      );
    }
    const name = email.to.name?.trim().slice(0, MAX_NAME_LENGTH);
    const request: Brevo.SendTransacEmailRequest = {
      sender: this.sender,
      to: [{ email: email.to.email, ...(name ? { name } : {}) }],
      templateId: email.templateId,
      params: email.params,
      // Brevo's docs disagree on how to pass the key: older pages put `"idempotencyKey"` in the
      // body's `headers`, current ones an `Idempotency-Key` (as an HTTP header, and in the SDK's
      // example inside `headers`). We send it as the HTTP header and as `idempotencyKey` here, so
      // either reading finds it; a retry with the same key must not mail the customer twice.
      headers: { idempotencyKey: email.idempotencyKey },
    };

    // The SDK's timeout stops at the response headers; this one also covers reading the body. (After a
    // network error the SDK leaves its own timer running until it fires: harmless, at most timeoutMs.)
    const deadline = AbortSignal.timeout(this.timeoutMs);
    let answer: Brevo.SendTransacEmailResponse | undefined;
    try {
      answer = await this.brevo.transactionalEmails.sendTransacEmail(request, {
        maxRetries: 0,
        timeoutInSeconds: this.timeoutMs / 1000,
        headers: { 'Idempotency-Key': email.idempotencyKey },
        abortSignal: deadline,
      });
    } catch (error) {
      throw this.failure(error, deadline.aborted);
    }

    const providerMessageId = messageIdOf(answer);
    if (providerMessageId === undefined) {
      // Brevo said yes, so the email is probably on its way; a retry could send it twice.
      throw new EmailSendError('Brevo accepted the email but answered without a message id', false, 'no id');
    }
    return { providerMessageId };
  }

  private failure(error: unknown, timedOut: boolean): EmailSendError {
    if (error instanceof BrevoTimeoutError || timedOut) {
      // The request may have reached Brevo; the idempotency key makes the retry safe.
      return new EmailSendError(`Brevo did not answer within ${this.timeoutMs} ms`, true, 'timeout');
    }
    if (!(error instanceof BrevoError)) {
      return new EmailSendError(`Brevo send failed: ${this.redact(describe(error))}`, false);
    }
    const status = error.statusCode;
    if (status !== undefined) {
      const retryable = status === 408 || status === 429 || status >= 500;
      const reason = this.redact(brevoReason(error.body));
      return new EmailSendError(
        `Brevo ${retryable ? 'could not take' : 'refused'} the email: HTTP ${status}${reason ? ` ${reason}` : ''}`,
        retryable,
        `http ${status}`,
      );
    }
    const networkCode = networkErrorCode(error.cause);
    if (networkCode !== undefined) {
      const detail = this.redact(describe(error.cause));
      return new EmailSendError(
        `Brevo could not be reached: ${detail}`,
        true,
        networkCode ? `network ${networkCode}` : 'network',
      );
    }
    // Not from the network or Brevo: a bad configuration (e.g. a base URL that is not a URL) or a bug.
    const detail = error.cause !== undefined ? describe(error.cause) : error.message;
    return new EmailSendError(`Brevo send failed: ${this.redact(detail)}`, false);
  }

  private redact(text: string): string {
    return this.apiKey ? text.split(this.apiKey).join('[redacted]') : text;
  }
}

function messageIdOf(answer: unknown): string | undefined {
  const { messageId, messageIds } = (answer ?? {}) as { messageId?: unknown; messageIds?: unknown };
  if (typeof messageId === 'string' && messageId !== '') return messageId;
  if (Array.isArray(messageIds) && typeof messageIds[0] === 'string' && messageIds[0] !== '') {
    return messageIds[0];
  }
  return undefined;
}

/** Brevo's `code` and `message` (`{ code, message }`), or the start of a non-JSON body (a gateway's page). */
function brevoReason(body: unknown): string {
  if (typeof body === 'string') {
    const text = body.replace(/\s+/g, ' ').trim();
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }
  const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
  const parts = [
    typeof code === 'string' && code ? `(${code})` : '',
    typeof message === 'string' && message ? message : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/**
 * The system error code of a failed connection (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…), searched
 * down the `cause` chain of fetch's "fetch failed"; `''` for a network failure without a code;
 * undefined if this was not a network failure (e.g. an invalid URL, ERR_INVALID_URL).
 */
function networkErrorCode(error: unknown): string | undefined {
  let networkFailure = false;
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code)) return code;
    if (message === 'fetch failed') networkFailure = true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return networkFailure ? '' : undefined;
}

/**
 * "fetch failed: connect ECONNREFUSED 127.0.0.1:443": the messages down the `cause` chain. Duck-typed,
 * since fetch's errors may come from another realm (jest's sandbox) and fail `instanceof Error`.
 */
function describe(error: unknown): string {
  const messages: string[] = [];
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    const { message } = cause as { message?: unknown };
    messages.push(typeof message === 'string' ? message : String(cause));
    cause = (cause as { cause?: unknown }).cause;
  }
  return messages.filter((message) => message !== '').join(': ');
}
