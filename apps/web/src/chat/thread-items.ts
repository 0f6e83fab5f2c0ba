import {
  callEventText,
  type CallEventPayload,
  type ChatMessage,
  type OrderLineView,
} from '@switchboard/contracts';

import { formatPhoneNumber } from '../formatting/phone';

/** What an `order-confirm` event carries: the order as it was confirmed. */
export interface ConfirmedOrder {
  orderId: string;
  items: OrderLineView[];
  /** Minor units. */
  total: number;
  currency: string;
}

/** How one stored message shows in the thread. */
export type ThreadItem =
  | { type: 'text'; message: ChatMessage }
  | { type: 'order'; message: ChatMessage; order: ConfirmedOrder }
  | { type: 'status'; message: ChatMessage; text: string };

/** Undefined for an event this page does not know how to show (it is left out of the thread). */
export function toThreadItem(message: ChatMessage): ThreadItem | undefined {
  if (message.kind === 'text') return { type: 'text', message };
  const payload = message.payload;
  if (payload.type === 'order-confirm') {
    const order = confirmedOrder(payload);
    return order ? { type: 'order', message, order } : undefined;
  }
  if (payload.type === 'status_changed') {
    const text = statusText(payload.to);
    return text ? { type: 'status', message, text } : undefined;
  }
  if (payload.type === 'call' && typeof payload.status === 'string') {
    return {
      type: 'status',
      message,
      text: callEventText(payload as unknown as CallEventPayload, formatPhoneNumber),
    };
  }
  return undefined;
}

function confirmedOrder(payload: Record<string, unknown>): ConfirmedOrder | undefined {
  const { orderId, items, total, currency } = payload;
  if (
    typeof orderId !== 'string' ||
    !Array.isArray(items) ||
    !items.every(isOrderLine) ||
    typeof total !== 'number' ||
    typeof currency !== 'string'
  ) {
    return undefined;
  }
  return { orderId, items, total, currency };
}

function isOrderLine(value: unknown): value is OrderLineView {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.name === 'string' && typeof line.quantity === 'number' && typeof line.unitPrice === 'number'
  );
}

const statusTexts: Readonly<Record<string, string>> = {
  open: 'Conversation reopened',
  resolved: 'Conversation marked as resolved',
};

function statusText(to: unknown): string | undefined {
  return typeof to === 'string' ? statusTexts[to] : undefined;
}
