/** Injection token of the email provider chosen at boot (Brevo, or the sandbox mailbox without a key). */
export const EMAIL_PROVIDER = Symbol('EmailProvider');

export interface TemplateEmail {
  to: { email: string; name?: string };
  /** The provider's template (Brevo: SENDINBLUE_TEMPLATE_ID). The sandbox renders its built-in one. */
  templateId: number;
  /** Template variables; the order confirmation uses `name`, `order_id`, `order_text` and `url`. */
  params: Record<string, string>;
  /** The same key on every attempt of one email, so a retry never mails twice. */
  idempotencyKey: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface EmailSendResult {
  providerMessageId: string;
  /** The email as its recipient sees it, when the provider rendered it here (the sandbox mailbox). */
  copy?: RenderedEmail;
}

/** An email that did not go out. `retryable`: worth trying again later (429, 5xx, timeouts, network). */
export class EmailSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The provider's HTTP status or error code, e.g. "http 429" or "timeout". */
    readonly providerStatus?: string,
  ) {
    super(message);
    this.name = 'EmailSendError';
  }
}

export interface EmailProvider {
  readonly name: 'brevo' | 'sandbox';
  sendTemplate(email: TemplateEmail): Promise<EmailSendResult>;
}
