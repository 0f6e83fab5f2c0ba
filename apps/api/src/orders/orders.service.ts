import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ChatLinks } from '../auth/chat-links';
import { ConversationOutbox } from '../chat/providers/conversation-outbox';
import { EmailsRepository } from '../email/emails.repository';
import { SEND_EMAIL_QUEUE } from '../email/email.worker';
import { EMAIL_PROVIDER, type EmailProvider } from '../email/providers/email-provider';
import { ApiException } from '../http/api-exception';
import { JobQueue } from '../jobs/job-queue';
import { CustomersRepository } from '../users/customers.repository';
import { CustomersService } from '../users/customers.service';
import { currencyDecimals, formatMoney, toMinorUnits } from './money';
import type { OrderItemDto } from './create-order.dto';
import { type OrderLine, OrdersRepository, type StoredOrder } from './orders.repository';

export interface PlacedOrder {
  id: string;
  chatUrl: string;
}

/** The tutorial's order: one widget at 4.99. */
export const DEMO_ORDER: OrderItemDto[] = [{ name: 'Widget', quantity: 1, unitPrice: 4.99 }];

@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly customers: CustomersService,
    private readonly conversations: CustomersRepository,
    private readonly emails: EmailsRepository,
    private readonly jobs: JobQueue,
    private readonly chatLinks: ChatLinks,
    private readonly outbox: ConversationOutbox,
    @Inject(EMAIL_PROVIDER) private readonly emailProvider: EmailProvider,
  ) {}

  /**
   * One transaction: the order and its items, the `order-confirm` event in the customer's
   * conversation (and, with a chat provider, its job to post it there), and the confirmation email's
   * job. Nothing is created when anything is refused.
   */
  async place(username: string, items: OrderItemDto[], currencyCode = 'USD'): Promise<PlacedOrder> {
    const currency = currencyCode.toUpperCase();
    const lines = this.toLines(items, currency);
    return this.orders.transaction(async (manager) => {
      const customer = await this.customers.require(username, manager, true);
      if (!customer.email) {
        throw new ApiException(
          HttpStatus.UNPROCESSABLE_ENTITY,
          ErrorCode.CustomerHasNoEmail,
          `Customer ${username} has no email address, so the order confirmation cannot be sent: ` +
            `add one with PATCH /api/users/${username}`,
        );
      }
      const conversationId = await this.conversations.conversation(manager, customer.id);
      const orderId = await this.orders.insert(manager, customer.id, currency, lines);
      const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
      const text = orderText(lines, total, currency);
      const eventId = await this.orders.recordEvent(manager, conversationId, {
        type: 'order-confirm',
        orderId,
        items: lines,
        total,
        currency,
        text,
      });
      await this.outbox.messageRecorded(manager, eventId);

      const epoch = await this.conversations.chatLinkEpoch(manager, customer.id);
      const chatUrl = this.chatLinks.url(customer.id, conversationId, orderId, epoch);
      const name = customer.name ?? customer.username ?? 'customer';
      const emailId = await this.emails.insertQueued(manager, {
        orderId,
        toEmail: customer.email,
        toName: customer.name,
        template: 'order-confirmation',
        params: { name, order_id: orderId, order_text: text, url: chatUrl },
        provider: this.emailProvider.name,
      });
      await this.jobs.enqueue(manager, SEND_EMAIL_QUEUE, { emailId });
      return { id: orderId, chatUrl };
    });
  }

  async history(username: string): Promise<StoredOrder[]> {
    const customer = await this.customers.require(username);
    return this.orders.history(customer.id);
  }

  private toLines(items: OrderItemDto[], currency: string): OrderLine[] {
    const decimals = currencyDecimals(currency);
    if (decimals === undefined) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid currency', [
        { field: 'currency', message: `${currency} is not an ISO 4217 currency` },
      ]);
    }
    const errors: { field: string; message: string }[] = [];
    const lines = items.map((item, i) => {
      const unitPrice = toMinorUnits(item.unitPrice, decimals);
      if (unitPrice === undefined) {
        errors.push({
          field: `items.${i}.unitPrice`,
          message: `unitPrice has more than ${decimals} decimals for ${currency}`,
        });
      }
      return { name: item.name.trim(), quantity: item.quantity, unitPrice: unitPrice ?? 0 };
    });
    if (errors.length > 0) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.ValidationFailed,
        `Invalid ${errors.map((e) => e.field).join(', ')}`,
        errors,
      );
    }
    return lines;
  }
}

/** One line for the email and the conversation: "1 × Widget ($4.99) — total $4.99". */
export function orderText(lines: OrderLine[], total: number, currency: string): string {
  const items = lines.map(
    (line) => `${line.quantity} × ${line.name} (${formatMoney(line.unitPrice, currency)})`,
  );
  return `${items.join(', ')} — total ${formatMoney(total, currency)}`;
}
