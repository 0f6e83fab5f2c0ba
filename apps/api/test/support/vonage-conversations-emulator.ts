import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedByApplication } from './application-jwt';

/**
 * A local stand-in for Vonage's Conversation API v1 (users, conversations, members, events), as
 * docs/provider-contracts.md §5.2–5.4 describes it: RS256 JWTs with our application id, snake_case JSON,
 * HAL `_embedded` lists, Vonage's error body and codes. With `eventUrl` it also delivers every new
 * event to that URL like Vonage's RTC `event_url` webhook (POST JSON), so mirroring can be tested end to end.
 */

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  response?: { status: number; body: unknown };
}

/** A scripted failure for the next matching call: an HTTP status with Vonage's error body, or silence. */
export type ConversationsFailure = { status: number; code?: string } | { hang: true };

export interface EmulatedEvent {
  id: number;
  type: string;
  from: string;
  body: Record<string, unknown>;
  timestamp: string;
}

interface EmulatedUser {
  id: string;
  name: string;
  display_name?: string;
}

interface EmulatedConversation {
  id: string;
  display_name?: string;
  properties?: Record<string, unknown>;
  /** member id → user id */
  members: Map<string, string>;
  events: EmulatedEvent[];
}

export interface VonageConversationsEmulator {
  /** Pass as the SDK's `apiHost`. */
  url: string;
  applicationId: string;
  /** PEM of the key pair whose public half checks every call's JWT. */
  privateKey: string;
  calls: RecordedCall[];
  users: Map<string, EmulatedUser>;
  conversations: Map<string, EmulatedConversation>;
  /** Fails the next call whose `METHOD /path` matches, once per failure given. */
  failNext(match: RegExp, ...failures: ConversationsFailure[]): void;
  /** A member posts an event themselves (as nexmo-client would): stored, then delivered to `eventUrl`. */
  post(conversationId: string, event: Omit<EmulatedEvent, 'id' | 'timestamp'>): Promise<EmulatedEvent>;
  /** Resolves once every webhook delivery started so far has been answered. */
  delivered(): Promise<void>;
  setEventUrl(url: string | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startVonageConversationsEmulator(
  options: { eventUrl?: string } = {},
): Promise<VonageConversationsEmulator> {
  const applicationId = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const calls: RecordedCall[] = [];
  const users = new Map<string, EmulatedUser>();
  const conversations = new Map<string, EmulatedConversation>();
  const failures: { match: RegExp; failure: ConversationsFailure }[] = [];
  const deliveries = new Set<Promise<void>>();
  let eventUrl = options.eventUrl;

  const authorised = (authorization: string | undefined) =>
    signedByApplication(authorization, publicKey, applicationId);

  function addEvent(conversation: EmulatedConversation, event: Omit<EmulatedEvent, 'id' | 'timestamp'>) {
    const stored: EmulatedEvent = {
      ...event,
      id: conversation.events.length + 1,
      timestamp: new Date().toISOString(),
    };
    conversation.events.push(stored);
    if (eventUrl) deliver(eventUrl, webhookPayload(conversation, stored));
    return stored;
  }

  function webhookPayload(conversation: EmulatedConversation, event: EmulatedEvent) {
    const user = users.get(conversation.members.get(event.from) ?? '');
    return {
      ...event,
      conversation_id: conversation.id,
      application_id: applicationId,
      _embedded: {
        from_member: { id: event.from },
        ...(user ? { from_user: { id: user.id, name: user.name, display_name: user.display_name } } : {}),
      },
    };
  }

  function deliver(url: string, payload: unknown): void {
    const delivery = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    })
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => deliveries.delete(delivery));
    deliveries.add(delivery);
  }

  function route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>) {
    if (method === 'POST' && path === '/v1/users') {
      const name = typeof body.name === 'string' ? body.name : '';
      if (!name || name === 'me' || name.startsWith('USR-'))
        return problem(400, 'http:error:validation-fail');
      if ([...users.values()].some((user) => user.name === name)) {
        return problem(409, 'user:error:duplicate-name', `User with name ${name} already exists`);
      }
      const user: EmulatedUser = { id: `USR-${randomUUID()}`, name };
      if (typeof body.display_name === 'string') user.display_name = body.display_name;
      users.set(user.id, user);
      return { status: 201, body: { ...user, _links: { self: { href: `/v1/users/${user.id}` } } } };
    }
    if (method === 'GET' && path === '/v1/users') {
      const name = query.get('name');
      const found = [...users.values()].filter((user) => !name || user.name === name);
      return { status: 200, body: { page_size: 10, _embedded: { users: found }, _links: {} } };
    }
    if (method === 'POST' && path === '/v1/conversations') {
      const conversation: EmulatedConversation = {
        id: `CON-${randomUUID()}`,
        display_name: body.display_name as string | undefined,
        properties: body.properties as Record<string, unknown> | undefined,
        members: new Map(),
        events: [],
      };
      conversations.set(conversation.id, conversation);
      const { members: _members, events: _events, ...shown } = conversation;
      return { status: 201, body: { ...shown, state: 'ACTIVE', sequence_number: 0 } };
    }
    const nested = /^\/v1\/conversations\/([^/]+)\/(members|events)$/.exec(path);
    if (!nested) return problem(404, 'system:error:not-found');
    const conversation = conversations.get(nested[1]!);
    if (!conversation) return problem(404, 'conversation:error:not-found');
    if (nested[2] === 'members' && method === 'POST') {
      const user = users.get(String((body.user as { id?: unknown } | undefined)?.id ?? ''));
      if (!user) return problem(404, 'user:error:not-found');
      if (body.state !== 'joined' || (body.channel as { type?: unknown } | undefined)?.type !== 'app') {
        return problem(400, 'http:error:validation-fail');
      }
      if ([...conversation.members.values()].includes(user.id)) {
        return problem(400, 'conversation:error:member-already-joined');
      }
      const id = `MEM-${randomUUID()}`;
      conversation.members.set(id, user.id);
      return { status: 201, body: member(id, user) };
    }
    if (nested[2] === 'members' && method === 'GET') {
      const members = [...conversation.members].map(([id, userId]) => member(id, users.get(userId)!));
      return { status: 200, body: { page_size: 100, _embedded: { members }, _links: {} } };
    }
    if (nested[2] === 'events' && method === 'POST') {
      const type = typeof body.type === 'string' ? body.type : '';
      if (type !== 'message' && !/^custom:[\w\-:]+$/.test(type))
        return problem(400, 'http:error:validation-fail');
      if (!conversation.members.has(String(body.from))) return problem(403, 'event:error:not-joined');
      const event = addEvent(conversation, {
        type,
        from: String(body.from),
        body: (body.body ?? {}) as Record<string, unknown>,
      });
      return { status: 201, body: { ...event, _links: {} } };
    }
    return problem(405, 'system:error:method-not-allowed');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://emulator');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const call: RecordedCall = {
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
    };
    calls.push(call);
    const respond = ({ status, body: answer }: { status: number; body: unknown }) => {
      call.response = { status, body: answer };
      const json = JSON.stringify(answer);
      response.writeHead(status, { 'content-type': 'application/json' }).end(json);
    };
    const scripted = failures.findIndex(({ match }) => match.test(`${call.method} ${call.path}`));
    if (scripted >= 0) {
      const { failure } = failures.splice(scripted, 1)[0]!;
      if ('hang' in failure) return;
      return respond(problem(failure.status, failure.code ?? 'system:error:internal-error'));
    }
    if (!authorised(request.headers.authorization))
      return respond(problem(401, 'system:error:invalid-token'));
    respond(route(call.method, call.path, url.searchParams, body));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    applicationId,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    calls,
    users,
    conversations,
    failNext: (match, ...scripted) => {
      failures.push(...scripted.map((failure) => ({ match, failure })));
    },
    post: async (conversationId, event) => {
      const conversation = conversations.get(conversationId);
      if (!conversation) throw new Error(`no conversation ${conversationId}`);
      return addEvent(conversation, event);
    },
    delivered: async () => {
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
    setEventUrl: (url) => {
      eventUrl = url;
    },
    reset: () => {
      calls.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function member(id: string, user: EmulatedUser) {
  return {
    id,
    state: 'JOINED',
    channel: { type: 'app' },
    _embedded: { user: { id: user.id, name: user.name, display_name: user.display_name } },
  };
}

function problem(status: number, code: string, detail = `Emulated ${code}`) {
  return {
    status,
    body: {
      title: code,
      type: `https://developer.nexmo.com/api/conversation#${code}`,
      code,
      detail,
      instance: randomUUID(),
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
