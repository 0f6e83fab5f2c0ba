import type { SandboxPhoneConversation } from '@switchboard/contracts';

import { ApiError, ClientErrorCode, apiGet, apiSend, type RequestOptions } from './http';

/**
 * The sandbox API (served only while a real provider is missing; agents only in production) and the
 * calls it stands in for. Sandbox calls take `RequestOptions` for the agent's token.
 */

// --- The phone simulator ---------------------------------------------------------------------------

export async function fetchPhoneConversation(
  number: string,
  options: RequestOptions = {},
): Promise<SandboxPhoneConversation> {
  const body = await apiGet<unknown>(`/api/sandbox/phones/${encodeURIComponent(number)}/messages`, options);
  if (!isPhoneConversation(body)) throw unexpected('GET /api/sandbox/phones/:number/messages');
  return body;
}

export interface SignedWebhook {
  params: Record<string, string>;
  /** False when the server has no signature secret: the params come back unchanged. */
  signed: boolean;
}

/** Adds `timestamp`, `nonce` and `sig` the way Vonage would, when the server checks signatures. */
export async function signWebhook(
  params: Record<string, string>,
  options: RequestOptions = {},
): Promise<SignedWebhook> {
  const body = await apiSend<unknown>('POST', '/api/sandbox/sign-webhook', { params }, options);
  if (!isSignedWebhook(body)) throw unexpected('POST /api/sandbox/sign-webhook');
  return body;
}

/** The real inbound-SMS webhook, called as Vonage calls it (POST JSON). Resolves on its 204. */
export async function postInboundSms(params: Record<string, string>): Promise<void> {
  await apiSend<unknown>('POST', '/webhooks/inbound-sms', params);
}

// --- The mailbox -----------------------------------------------------------------------------------

/** An email the sandbox email provider "sent", as rendered for its recipient. */
export interface MailboxEmail {
  id: string;
  orderId: string | null;
  to: string;
  toName: string | null;
  subject: string;
  html: string;
  text: string;
  createdAt: string;
}

/** The sent emails, newest first. */
export async function fetchMailbox(options: RequestOptions = {}): Promise<MailboxEmail[]> {
  const body = await apiGet<unknown>('/api/sandbox/emails', options);
  if (!Array.isArray(body) || !body.every(isMailboxEmail)) throw unexpected('GET /api/sandbox/emails');
  return body;
}

// --- The demo shop: the real integration API, with the sandbox's token ----------------------------

/** Outside production only (`site.sandbox.integrationToken`); production never serves `API_TOKEN`. */
export async function fetchIntegrationToken(): Promise<string> {
  const body = await apiGet<unknown>('/api/sandbox/integration-token');
  const token = (body as { token?: unknown } | null)?.token;
  if (typeof token !== 'string') throw unexpected('GET /api/sandbox/integration-token');
  return token;
}

export interface NewCustomer {
  username: string;
  name: string;
  email: string;
}

export interface CreatedCustomer {
  id: string;
  username: string;
  conversationId: string;
}

export function createCustomer(token: string, customer: NewCustomer): Promise<CreatedCustomer> {
  return apiSend<CreatedCustomer>('POST', '/api/users', customer, { accessToken: token });
}

export interface OrderLine {
  name: string;
  quantity: number;
  /** Major units, as a shop sends it (4.99). */
  unitPrice: number;
}

export interface PlacedOrder {
  id: string;
  /** The chat link the confirmation email carries. */
  chatUrl: string;
}

export function placeOrder(
  token: string,
  order: { username: string; items: OrderLine[]; currency: string },
): Promise<PlacedOrder> {
  return apiSend<PlacedOrder>('POST', '/api/orders', order, { accessToken: token });
}

export type OrderEmailStatus = 'queued' | 'sent' | 'failed';

/** One order of a customer's history: totals and prices in minor units. */
export interface CustomerOrder {
  id: string;
  currency: string;
  total: number;
  createdAt: string;
  items: { name: string; quantity: number; unitPrice: number }[];
  email: { status: OrderEmailStatus; error: string | null } | null;
}

export async function fetchCustomerOrders(token: string, username: string): Promise<CustomerOrder[]> {
  const body = await apiGet<unknown>(`/api/users/${encodeURIComponent(username)}/orders`, {
    accessToken: token,
  });
  if (!Array.isArray(body)) throw unexpected('GET /api/users/:username/orders');
  return body as CustomerOrder[];
}

// --- Shapes ---------------------------------------------------------------------------------------

function unexpected(what: string): ApiError {
  return new ApiError({
    status: 200,
    code: ClientErrorCode.UnexpectedResponse,
    message: `${what} answered with an unexpected shape.`,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

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
