import { toVonageEvent } from './vonage-events';
import type { OutboundMessage } from './vonage-links.repository';

function aMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '9',
    ticketId: '4',
    kind: 'text',
    body: 'Your parcel left today',
    payload: {},
    providerMessageId: null,
    ...overrides,
  };
}

describe(toVonageEvent.name, () => {
  it('posts a text as a message event', () => {
    expect(toVonageEvent(aMessage())).toEqual({
      type: 'message',
      body: { message_type: 'text', text: 'Your parcel left today' },
    });
  });

  it('posts an order confirmation as custom:order-confirm-event with a snake_case body, nested keys too', () => {
    const payload = {
      type: 'order-confirm',
      orderId: '311',
      items: [{ name: 'Widget', quantity: 2, unitPrice: 499 }],
      total: 998,
      currency: 'EUR',
      text: '2 × Widget (€4.99) — total €9.98',
    };

    expect(toVonageEvent(aMessage({ kind: 'event', body: payload.text, payload }))).toEqual({
      type: 'custom:order-confirm-event',
      body: {
        order_id: '311',
        items: [{ name: 'Widget', quantity: 2, unit_price: 499 }],
        total: 998,
        currency: 'EUR',
        text: '2 × Widget (€4.99) — total €9.98',
      },
    });
  });

  it('keeps status changes and assignments to our own thread', () => {
    expect(
      toVonageEvent(aMessage({ kind: 'event', payload: { type: 'status_changed', to: 'resolved' } })),
    ).toBeUndefined();
  });
});
