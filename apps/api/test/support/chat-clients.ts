import { randomUUID } from 'node:crypto';
import { type ChatAck, ChatEvent, type ChatMessage, type SocketAuth } from '@switchboard/contracts';
import { io, type Socket } from 'socket.io-client';
import { AccessTokens } from '../../src/auth/access-tokens';
import { aUsername, integrationApi } from './integration-api';
import type { TestApp } from './test-app';

export interface Customer {
  username: string;
  conversationId: string;
  orderId: string;
  chatUrl: string;
  accessToken: string;
}

/** A shop customer with an order, holding the chat session their email link gives them. */
export async function aCustomerWithAnOrder(
  app: TestApp,
  name = 'Ada Lovelace',
  options: { phone?: string } = {},
): Promise<Customer> {
  const api = integrationApi(app);
  const username = aUsername();
  const { conversationId } = (await (
    await api.post('/api/users', { username, name, email: `${username}@example.com`, ...options })
  ).json()) as { conversationId: string };
  const { id: orderId, chatUrl } = (await (await api.post('/order', { username })).json()) as {
    id: string;
    chatUrl: string;
  };
  const token = new URL(chatUrl).searchParams.get('token')!;
  const session = (await (
    await fetch(`${app.baseUrl}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, token }),
    })
  ).json()) as { accessToken: string };
  return { username, conversationId, orderId, chatUrl, accessToken: session.accessToken };
}

/** An agent account and its access token. */
export async function anAgent(app: TestApp, name = 'Grace'): Promise<{ id: string; accessToken: string }> {
  const [{ id }] = (await app.db.query(
    `INSERT INTO users (role, name, email) VALUES ('agent', $1, $2) RETURNING id::text`,
    [name, `${aUsername('agent')}@switchboard.example`],
  )) as [{ id: string }];
  return { id, accessToken: app.app.get(AccessTokens).forAgent(id, 'agent', name, randomUUID()) };
}

/** A socket.io client that records what it receives. */
export class ChatClient {
  readonly received: ChatMessage[] = [];
  readonly events: { event: string; payload: unknown }[] = [];

  private constructor(readonly socket: Socket) {
    socket.on(ChatEvent.Message, (message: ChatMessage) => this.received.push(message));
    socket.onAny((event: string, payload: unknown) => this.events.push({ event, payload }));
  }

  static async connect(
    baseUrl: string,
    token: string | undefined,
    auth: Omit<SocketAuth, 'token'> = {},
  ): Promise<ChatClient> {
    const socket = io(baseUrl, {
      auth: token ? { token, ...auth } : auth,
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return new ChatClient(socket);
  }

  request<T>(event: string, payload: unknown): Promise<ChatAck<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<ChatAck<T>>;
  }

  join(conversationId: string, afterSeq = 0) {
    return this.request<{ messages: ChatMessage[] }>(ChatEvent.Join, { conversationId, afterSeq });
  }

  send(conversationId: string, body: string, clientId = randomUUID()) {
    return this.request<{ message: ChatMessage; duplicate: boolean }>(ChatEvent.Send, {
      conversationId,
      clientId,
      body,
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}
