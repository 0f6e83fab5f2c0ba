import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ChatLinks } from '../auth/chat-links';
import { ChatConversations } from '../chat/chat-conversations';
import { OrderConfirmationEmails } from '../email/order-confirmation-emails';
import { ApiException } from '../http/api-exception';
import { ThreadViews } from '../thread/thread-views';
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
    private readonly conversations: ChatConversations,
    private readonly confirmations: OrderConfirmationEmails,
    private readonly chatLinks: ChatLinks,
    private readonly views: ThreadViews,
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
      const conversationId = await this.conversations.open(manager, customer.id);
      const orderId = await this.orders.insert(manager, customer.id, currency, lines);
      const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
      const text = orderText(lines, total, currency);
      await this.conversations.recordOrder(manager, conversationId, {
        orderId,
        text,
        payload: { type: 'order-confirm', orderId, items: lines, total, currency, text },
      });

      const epoch = await this.customers.chatLinkEpoch(manager, customer.id);
      const chatUrl = this.chatLinks.url(customer.id, conversationId, orderId, epoch);
      await this.confirmations.queue(manager, {
        orderId,
        to: { email: customer.email, name: customer.name },
        params: {
          name: customer.name ?? customer.username ?? 'customer',
          order_id: orderId,
          order_text: text,
          url: chatUrl,
        },
      });
      return { id: orderId, chatUrl };
    });
  }

  /** A customer's orders, newest first, each with how its confirmation email went. */
  async history(username: string): Promise<StoredOrder[]> {
    const customer = await this.customers.require(username);
    const orders = await this.views.orders(customer.id, 100);
    const emails = await this.confirmations.outcomes(orders.map((order) => order.id));
    return orders.map((order) => ({ ...order, email: emails.get(order.id) ?? null }));
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
