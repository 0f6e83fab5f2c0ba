import type { ProviderEvent } from './conversations-api';
import type { OutboundMessage } from './vonage-links.repository';

/** The custom event the seed tutorial's chat page listens for (nexmo-client drops the `custom:` prefix). */
export const ORDER_CONFIRM_EVENT = 'custom:order-confirm-event';

interface OrderConfirmPayload {
  type: 'order-confirm';
  orderId: string;
  items: { name: string; quantity: number; unitPrice: number }[];
  total: number;
  currency: string;
  text: string;
}

/**
 * How one of our messages appears in the Vonage conversation: a text as a `message` event, an order
 * confirmation as `custom:order-confirm-event`. Bodies are snake_case throughout, because the SDK
 * renames the top-level keys of a custom body to snake_case anyway and leaves nested ones alone.
 * Undefined for what the customer does not see there (status changes, assignments).
 */
export function toVonageEvent(message: OutboundMessage): Omit<ProviderEvent, 'from'> | undefined {
  if (message.kind === 'text') {
    return { type: 'message', body: { message_type: 'text', text: message.body } };
  }
  if (message.payload.type !== 'order-confirm') return undefined;
  const order = message.payload as unknown as OrderConfirmPayload;
  return {
    type: ORDER_CONFIRM_EVENT,
    body: {
      order_id: order.orderId,
      items: order.items.map((item) => ({
        name: item.name,
        quantity: item.quantity,
        unit_price: item.unitPrice,
      })),
      total: order.total,
      currency: order.currency,
      text: order.text,
    },
  };
}
