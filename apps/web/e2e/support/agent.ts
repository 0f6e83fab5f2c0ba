import { randomUUID } from 'node:crypto';

import {
  type ChatAck,
  ChatEvent,
  type ChatMessage,
  type ReadChanged,
  type TypingChanged,
} from '@switchboard/contracts';
import { io, type Socket } from 'socket.io-client';

import type { RunningApp } from './app-process';

const AGENT_EMAIL = 'demo-agent@switchboard.example';
const AGENT_PASSWORD = 'e2e-agent-password';

/** Start the app with these and, being in sandbox mode, it creates a demo agent who can sign in. */
export const agentTestEnv: Record<string, string> = { AGENT_EMAIL, AGENT_PASSWORD };

export interface Agent {
  id: string;
  name: string;
  accessToken: string;
}

/** Signs the demo agent in, the way the agent console does. */
export async function signInAgent(app: RunningApp): Promise<Agent> {
  const response = await fetch(`${app.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: AGENT_EMAIL, password: AGENT_PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`POST /api/auth/login: ${response.status} ${await response.text()}`);
  const { accessToken, agent } = (await response.json()) as {
    accessToken: string;
    agent: { id: string; name: string };
  };
  return { id: agent.id, name: agent.name, accessToken };
}

/**
 * The other end of the chat, driven from the test: a socket.io client like the agent console will
 * be, recording everything the server sends it.
 */
export class ChatSocket {
  readonly messages: ChatMessage[] = [];
  readonly typing: TypingChanged[] = [];
  readonly reads: ReadChanged[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on(ChatEvent.Message, (message: ChatMessage) => this.messages.push(message));
    socket.on(ChatEvent.TypingChanged, (change: TypingChanged) => this.typing.push(change));
    socket.on(ChatEvent.ReadChanged, (change: ReadChanged) => this.reads.push(change));
  }

  static async connect(app: RunningApp, accessToken: string): Promise<ChatSocket> {
    const socket = io(app.baseUrl, {
      auth: { token: accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return new ChatSocket(socket);
  }

  request<T>(event: string, payload: unknown): Promise<ChatAck<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<ChatAck<T>>;
  }

  async join(conversationId: string, afterSeq = 0): Promise<ChatMessage[]> {
    return unwrap(
      await this.request<{ messages: ChatMessage[] }>(ChatEvent.Join, { conversationId, afterSeq }),
    ).messages;
  }

  async send(conversationId: string, body: string): Promise<ChatMessage> {
    const ack = await this.request<{ message: ChatMessage }>(ChatEvent.Send, {
      conversationId,
      clientId: randomUUID(),
      body,
    });
    return unwrap(ack).message;
  }

  async setTyping(conversationId: string, typing: boolean): Promise<void> {
    unwrap(await this.request<null>(ChatEvent.Typing, { conversationId, typing }));
  }

  async read(conversationId: string, seq: number): Promise<void> {
    unwrap(await this.request<null>(ChatEvent.Read, { conversationId, seq }));
  }

  /** Waits for a message matching `predicate` (already received or still to come). */
  waitForMessage(predicate: (message: ChatMessage) => boolean, timeoutMs: number): Promise<ChatMessage> {
    return waitFor(() => this.messages.find(predicate), timeoutMs, 'a chat message');
  }

  waitForTyping(predicate: (change: TypingChanged) => boolean, timeoutMs: number): Promise<TypingChanged> {
    return waitFor(() => this.typing.find(predicate), timeoutMs, 'a typing signal');
  }

  waitForRead(predicate: (change: ReadChanged) => boolean, timeoutMs: number): Promise<ReadChanged> {
    return waitFor(() => this.reads.find(predicate), timeoutMs, 'a read receipt');
  }

  close(): void {
    this.socket.disconnect();
  }
}

function unwrap<T>(ack: ChatAck<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

async function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
