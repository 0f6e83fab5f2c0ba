import type { SandboxPhoneConversation, SandboxPhoneMessage } from '@switchboard/contracts';

import type { CustomerOrder, MailboxEmail } from '../../../api/sandbox';
import { jsonResponse } from '../../../testing/fetch-stub';

let ids = 0;

export function aPhoneMessage(overrides: Partial<SandboxPhoneMessage> = {}): SandboxPhoneMessage {
  ids += 1;
  return {
    id: String(ids),
    ticketId: '17',
    direction: 'out',
    body: 'Dear customer, your support request has been registered. Your ticket number is 17.',
    status: 'delivered',
    error: null,
    createdAt: '2025-03-04T10:00:00.000Z',
    ...overrides,
  };
}

export function aConversation(
  messages: SandboxPhoneMessage[] = [],
  overrides: Partial<SandboxPhoneConversation> = {},
): SandboxPhoneConversation {
  return { number: '+447700900001', supportNumber: '+447700900000', messages, ...overrides };
}

export function anEmail(overrides: Partial<MailboxEmail> = {}): MailboxEmail {
  ids += 1;
  return {
    id: String(ids),
    orderId: '31',
    to: 'ada@example.com',
    toName: 'Ada Lovelace',
    subject: 'Your ACME order 31',
    html:
      '<!DOCTYPE html><html><head><title>Order</title></head><body><p>Hello Ada,</p>' +
      '<a href="http://app.test/chat/4/31?token=abc">Chat with us about this order</a></body></html>',
    text: 'Hello Ada,\n\nChat with us: http://app.test/chat/4/31?token=abc\n\n— ACME',
    createdAt: '2025-03-04T10:00:00.000Z',
    ...overrides,
  };
}

export function anOrder(overrides: Partial<CustomerOrder> = {}): CustomerOrder {
  return {
    id: '31',
    currency: 'USD',
    total: 499,
    createdAt: '2025-03-04T10:00:00.000Z',
    items: [{ name: 'Blue widget', quantity: 1, unitPrice: 499 }],
    email: { status: 'sent', error: null, providerMessageId: null },
    ...overrides,
  };
}

/** The JSON error body the API sends. */
export function apiError(
  status: number,
  code: string,
  message: string,
  errors?: { field: string; message: string }[],
) {
  return jsonResponse({ statusCode: status, code, message, ...(errors ? { errors } : {}) }, status);
}

/** A 204 from the webhook. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
