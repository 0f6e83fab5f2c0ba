import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobQueue } from '../jobs/job-queue';
import { SEND_EMAIL_QUEUE } from './email.worker';
import { EmailsRepository } from './emails.repository';
import { EMAIL_PROVIDER, type EmailProvider } from './providers/email-provider';

/** An order's confirmation, as the template takes it. */
export interface OrderConfirmation {
  orderId: string;
  to: { email: string; name: string | null };
  /** The template's params: `name`, `order_id`, `order_text`, `url` (the chat link). */
  params: { name: string; order_id: string; order_text: string; url: string };
}

/** How an order's confirmation email went. */
export interface ConfirmationOutcome {
  status: 'queued' | 'sent' | 'failed';
  error: string | null;
  providerMessageId: string | null;
}

/**
 * The email module's one door: queue an order's confirmation in the caller's transaction (it commits
 * or rolls back with the order; the worker sends it with retries), and say how each went.
 */
@Injectable()
export class OrderConfirmationEmails {
  constructor(
    private readonly emails: EmailsRepository,
    private readonly jobs: JobQueue,
    @Inject(EMAIL_PROVIDER) private readonly provider: EmailProvider,
  ) {}

  async queue(manager: EntityManager, confirmation: OrderConfirmation): Promise<void> {
    const emailId = await this.emails.insertQueued(manager, {
      orderId: confirmation.orderId,
      toEmail: confirmation.to.email,
      toName: confirmation.to.name,
      template: 'order-confirmation',
      params: confirmation.params,
      provider: this.provider.name,
    });
    await this.jobs.enqueue(manager, SEND_EMAIL_QUEUE, { emailId });
  }

  /** The latest confirmation of each order that has one, by order id. */
  outcomes(orderIds: string[]): Promise<Map<string, ConfirmationOutcome>> {
    return this.emails.latestByOrder(orderIds);
  }
}
