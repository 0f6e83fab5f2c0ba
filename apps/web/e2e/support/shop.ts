import type { RunningApp } from './app-process';

/** The shop integration token the chat tests start the app with (instead of reading the generated one). */
export const TEST_API_TOKEN = 'e2e-integration-token-0123456789';
/** The signing secret the chat tests start the app with, so they can sign an agent's token and old links. */
export const TEST_JWT_SECRET = 'e2e-signing-secret-that-is-at-least-32-characters';

/** What `startApp` needs for tests that play the shop and the agent. */
export const shopTestEnv: Record<string, string> = { API_TOKEN: TEST_API_TOKEN, JWT_SECRET: TEST_JWT_SECRET };

export interface OrderLine {
  name: string;
  quantity: number;
  /** Major units, as the shop sends it (4.99). */
  unitPrice: number;
}

export interface ShopCustomer {
  id: string;
  username: string;
  conversationId: string;
}

export interface PlacedOrder {
  id: string;
  /** The link in the confirmation email: `<PUBLIC_URL>/chat/<conversation>/<order>?token=…`. */
  chatUrl: string;
}

let sequence = 0;

/** The shop backend creating a customer through the integration API. */
export async function aShopCustomer(
  app: RunningApp,
  name = 'Ada Lovelace',
  options: { phone?: string } = {},
): Promise<ShopCustomer> {
  sequence += 1;
  const username = `shopper-${Date.now().toString(36)}-${sequence}`;
  return shopRequest<ShopCustomer>(app, '/api/users', {
    username,
    name,
    email: `${username}@example.com`,
    ...options,
  });
}

export function placeOrder(
  app: RunningApp,
  customer: ShopCustomer,
  items: OrderLine[] = [{ name: 'Widget', quantity: 1, unitPrice: 4.99 }],
  currency = 'USD',
): Promise<PlacedOrder> {
  return shopRequest<PlacedOrder>(app, '/api/orders', { username: customer.username, items, currency });
}

/** The token part of a chat link. */
export function linkToken(chatUrl: string): string {
  const token = new URL(chatUrl).searchParams.get('token');
  if (!token) throw new Error(`No token in ${chatUrl}`);
  return token;
}

/** What the chat page does first: trade the link's token for a session. */
export async function chatSession(app: RunningApp, conversationId: string, chatUrl: string): Promise<string> {
  const response = await fetch(`${app.baseUrl}/api/chat/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId, token: linkToken(chatUrl) }),
  });
  if (response.status !== 200)
    throw new Error(`POST /api/chat/session: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function shopRequest<T>(app: RunningApp, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
