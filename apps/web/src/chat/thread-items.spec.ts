import { describe, expect, it } from 'vitest';

import { aMessage, anOrder, anOrderConfirmation } from '../testing/chat';
import { toThreadItem } from './thread-items';

describe(toThreadItem.name, () => {
  it('shows a text message as text', () => {
    const message = aMessage({ seq: 2, body: 'Hi' });

    expect(toThreadItem(message)).toEqual({ type: 'text', message });
  });

  it('shows an order-confirm event as the order it confirmed', () => {
    const order = anOrder({ id: '9', total: 998, currency: 'GBP' });
    const message = anOrderConfirmation(1, order);

    expect(toThreadItem(message)).toEqual({
      type: 'order',
      message,
      order: { orderId: '9', items: order.items, total: 998, currency: 'GBP' },
    });
  });

  it('shows a reopened conversation as a status line', () => {
    const message = aMessage({
      seq: 5,
      kind: 'event',
      payload: { type: 'status_changed', from: 'resolved', to: 'open', reason: 'customer_message' },
    });

    expect(toThreadItem(message)).toEqual({ type: 'status', message, text: 'Conversation reopened' });
  });

  it('shows a call step as a status line, in the words the console uses', () => {
    const message = aMessage({
      seq: 4,
      kind: 'event',
      payload: { type: 'call', callId: '9', leg: 'customer', status: 'completed', durationSeconds: 3725 },
    });
    expect(toThreadItem(message)).toEqual({ type: 'status', message, text: 'Call ended after 1:02:05' });
  });

  it.each([
    ['an event type it does not know', { type: 'agent_assigned' }],
    [
      'an order-confirm without its items',
      { type: 'order-confirm', orderId: '9', total: 1, currency: 'USD' },
    ],
    [
      'an order line with a price as text',
      {
        type: 'order-confirm',
        orderId: '9',
        items: [{ name: 'x', quantity: 1, unitPrice: '1' }],
        total: 1,
        currency: 'USD',
      },
    ],
    ['a status it has no words for', { type: 'status_changed', to: 'archived' }],
  ])('leaves out %s', (_case, payload) => {
    expect(toThreadItem(aMessage({ seq: 3, kind: 'event', payload }))).toBeUndefined();
  });
});
