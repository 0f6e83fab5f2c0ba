import { randomUUID } from 'node:crypto';
import { renderOrderConfirmation } from '../templates/order-confirmation';
import type { EmailProvider, EmailSendResult, TemplateEmail } from './email-provider';

/** Idempotency keys remembered; a job retries within minutes, so the last few hundred are plenty. */
const REMEMBERED_KEYS = 500;

/**
 * The email provider when no Brevo key is set: nothing leaves the machine. It renders the built-in
 * order confirmation (whatever the template id: the Brevo template lives in the Brevo account) and
 * hands the copy back for the sandbox mailbox, which the caller stores. A retry with the same
 * idempotency key gets the first answer again, as from Brevo.
 */
export class SandboxEmailProvider implements EmailProvider {
  readonly name = 'sandbox';
  private readonly sent = new Map<string, EmailSendResult>();

  constructor(private readonly company: string) {}

  async sendTemplate(email: TemplateEmail): Promise<EmailSendResult> {
    const previous = this.sent.get(email.idempotencyKey);
    if (previous) return previous;

    const { name = email.to.name ?? '', order_id = '', order_text = '', url = '' } = email.params;
    const result: EmailSendResult = {
      providerMessageId: `sandbox-${randomUUID()}`,
      copy: renderOrderConfirmation({ name, order_id, order_text, url }, this.company),
    };
    this.sent.set(email.idempotencyKey, result);
    if (this.sent.size > REMEMBERED_KEYS) {
      const oldest = this.sent.keys().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
    return result;
  }
}
