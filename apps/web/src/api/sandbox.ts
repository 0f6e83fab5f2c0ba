import type { SandboxCall, SandboxPhoneConversation } from '@switchboard/contracts';

import { answer, api, auth, type ApiSchema, type RequestOptions } from './http';
import { isRecord, unexpectedShape } from './answer-shape';

/**
 * The sandbox API (served only while a real provider is missing; agents only in production) and the
 * calls it stands in for. Sandbox calls take `RequestOptions` for the agent's token.
 */

// --- The phone simulator ---------------------------------------------------------------------------

export async function fetchPhoneConversation(
  number: string,
  options: RequestOptions = {},
): Promise<SandboxPhoneConversation> {
  const body: unknown = await answer(
    api.GET('/api/sandbox/phones/{number}/messages', { ...auth(options), params: { path: { number } } }),
  );
  if (!isPhoneConversation(body)) throw unexpectedShape('GET /api/sandbox/phones/:number/messages');
  return body;
}

export type SignedWebhook = ApiSchema<'SignedWebhook'>;

/** Adds `timestamp`, `nonce` and `sig` the way Vonage would, when the server checks signatures. */
export async function signWebhook(
  params: Record<string, string>,
  options: RequestOptions = {},
): Promise<SignedWebhook> {
  const body: unknown = await answer(
    api.POST('/api/sandbox/sign-webhook', { ...auth(options), body: { params } }),
  );
  if (!isSignedWebhook(body)) throw unexpectedShape('POST /api/sandbox/sign-webhook');
  return body;
}

/**
 * The real inbound-SMS webhook, called as Vonage calls it (POST JSON). Resolves on its 204. The params
 * are posted exactly as the signer answered them (a replay must be byte for byte), which the document
 * types only as strings: the webhook itself says which it needs (400 naming them).
 */
export async function postInboundSms(params: Record<string, string>): Promise<void> {
  await answer(api.POST('/webhooks/inbound-sms', { body: params as ApiSchema<'InboundSmsParams'> }));
}

// --- The mailbox -----------------------------------------------------------------------------------

/** An email the sandbox email provider "sent", as rendered for its recipient. */
export type MailboxEmail = ApiSchema<'MailboxEmail'>;

/** The sent emails, newest first. */
export async function fetchMailbox(options: RequestOptions = {}): Promise<MailboxEmail[]> {
  const body: unknown = await answer(api.GET('/api/sandbox/emails', auth(options)));
  if (!Array.isArray(body) || !body.every(isMailboxEmail)) throw unexpectedShape('GET /api/sandbox/emails');
  return body;
}

// --- The demo shop: the real integration API, with the sandbox's token ----------------------------

/** Outside production only (`site.sandbox.integrationToken`); production never serves `API_TOKEN`. */
export async function fetchIntegrationToken(): Promise<string> {
  const body: unknown = await answer(api.GET('/api/sandbox/integration-token'));
  const token = isRecord(body) ? body.token : undefined;
  if (typeof token !== 'string') throw unexpectedShape('GET /api/sandbox/integration-token');
  return token;
}

export type NewCustomer = Required<Pick<ApiSchema<'CreateCustomerRequest'>, 'username' | 'name' | 'email'>>;
export type CreatedCustomer = ApiSchema<'CreatedCustomer'>;

export function createCustomer(token: string, customer: NewCustomer): Promise<CreatedCustomer> {
  return answer(api.POST('/api/users', { ...auth({ accessToken: token }), body: customer }));
}

/** One line of an order as a shop sends it: `unitPrice` in major units (4.99). */
export type OrderLine = ApiSchema<'OrderItemRequest'>;
export type PlacedOrder = ApiSchema<'PlacedOrder'>;

export function placeOrder(
  token: string,
  order: { username: string; items: OrderLine[]; currency: string },
): Promise<PlacedOrder> {
  return answer(api.POST('/api/orders', { ...auth({ accessToken: token }), body: order }));
}

/** One order of a customer's history: totals and prices in minor units. */
export type CustomerOrder = ApiSchema<'StoredOrder'>;
export type OrderEmailStatus = NonNullable<CustomerOrder['email']>['status'];

export function fetchCustomerOrders(token: string, username: string): Promise<CustomerOrder[]> {
  return answer(
    api.GET('/api/users/{username}/orders', {
      ...auth({ accessToken: token }),
      params: { path: { username } },
    }),
  );
}

// --- Shapes ---------------------------------------------------------------------------------------

function isPhoneConversation(value: unknown): value is SandboxPhoneConversation {
  return (
    isRecord(value) &&
    typeof value.number === 'string' &&
    typeof value.supportNumber === 'string' &&
    Array.isArray(value.messages) &&
    value.messages.every(
      (message) =>
        isRecord(message) &&
        typeof message.id === 'string' &&
        (message.direction === 'in' || message.direction === 'out') &&
        typeof message.body === 'string' &&
        typeof message.status === 'string',
    )
  );
}

function isSignedWebhook(value: unknown): value is SignedWebhook {
  return (
    isRecord(value) &&
    typeof value.signed === 'boolean' &&
    isRecord(value.params) &&
    Object.values(value.params).every((param) => typeof param === 'string')
  );
}

function isMailboxEmail(value: unknown): value is MailboxEmail {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.to === 'string' &&
    typeof value.subject === 'string' &&
    typeof value.html === 'string' &&
    typeof value.text === 'string' &&
    typeof value.createdAt === 'string'
  );
}

// --- The phone simulator's calls -------------------------------------------------------------------

/** Calls ringing or going on at a simulated phone (and those ended in the last minute), newest first. */
export async function fetchPhoneCalls(number: string, options: RequestOptions = {}): Promise<SandboxCall[]> {
  const body: unknown = await answer(
    api.GET('/api/sandbox/phones/{number}/calls', { ...auth(options), params: { path: { number } } }),
  );
  if (!Array.isArray(body) || !body.every(isSandboxCall))
    throw unexpectedShape('GET /api/sandbox/phones/:number/calls');
  return body;
}

/** The simulated phone's buttons: answer or decline a ringing call, hang up an answered one. */
export async function pressCallButton(
  callId: string,
  button: 'answer' | 'decline' | 'hang-up',
  options: RequestOptions = {},
): Promise<void> {
  const params = { path: { id: callId } };
  const call =
    button === 'answer'
      ? api.POST('/api/sandbox/calls/{id}/answer', { ...auth(options), params })
      : button === 'decline'
        ? api.POST('/api/sandbox/calls/{id}/decline', { ...auth(options), params })
        : api.POST('/api/sandbox/calls/{id}/hang-up', { ...auth(options), params });
  await answer(call);
}

function isSandboxCall(value: unknown): value is SandboxCall {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SandboxCall).id === 'string' &&
    typeof (value as SandboxCall).status === 'string'
  );
}
