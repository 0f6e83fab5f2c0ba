import { tokenGenerate } from '@vonage/jwt';
import { Vonage } from '@vonage/server-sdk';
import {
  type ClientToken,
  type ConversationsApi,
  ConversationsApiError,
  type ProviderEvent,
  type ProviderUser,
} from './conversations-api';

export interface VonageConversationsApiConfig {
  applicationId: string;
  /** PEM text. */
  privateKey: string;
  /** Vonage's users/conversations host (default https://api.nexmo.com); an emulator's URL in tests. */
  apiHost?: string;
  /** Whole request, from connecting to reading the answer. Default 10 000. */
  timeoutMs?: number;
}

// The SDK's request types mark optional API fields as required (knockingId, customSortKey …): the
// requests below are cast to them after `unknown`, with only the fields the API needs.
type Conversations = Vonage['conversations'];
type MemberRequest = Parameters<Conversations['createMember']>[1];
type EventRequest = Parameters<Conversations['createEvent']>[1];
type ConversationRequest = Parameters<Conversations['createConversation']>[0];

/** What a failed call of the SDK carries: node-fetch's response, its body not read yet. */
interface SdkHttpError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  response?: { status?: unknown; text?: () => Promise<string> };
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Vonage's upper bound for a Client SDK token is 24 h; a chat page renews long before one hour. */
const MAX_CLIENT_TOKEN_SECONDS = 3600;

/**
 * Vonage's Conversation API (v1 users, conversations, members, events) through `@vonage/server-sdk`,
 * and Client SDK tokens through `@vonage/jwt`. Every failure becomes a `ConversationsApiError`
 * that says whether a retry makes sense; none carries the SDK's error, whose request holds the
 * Authorization header.
 */
export class VonageConversationsApi implements ConversationsApi {
  readonly name = 'vonage';
  private readonly vonage: Vonage;
  private readonly timeoutMs: number;

  constructor(private readonly config: VonageConversationsApiConfig) {
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.vonage = new Vonage(
      { applicationId: config.applicationId, privateKey: config.privateKey },
      { apiHost: config.apiHost, timeout: this.timeoutMs },
    );
  }

  async ensureUser(user: ProviderUser): Promise<string> {
    try {
      const created = await this.vonage.users.createUser({ name: user.name, displayName: user.displayName });
      return required(created.id, 'user id');
    } catch (error) {
      const failure = await this.failure(error, 'create user');
      if (failure.providerCode !== 'user:error:duplicate-name') throw failure;
    }
    // Created by an earlier attempt whose answer was lost: the name is ours.
    const page = await this.call('find user', () => this.vonage.users.getUserPage({ name: user.name }));
    const found = page._embedded?.users?.find((candidate) => candidate.name === user.name);
    return required(found?.id, `user ${user.name}`);
  }

  async createConversation(conversation: { displayName: string; reference: string }): Promise<string> {
    // No unique name: a retry after a lost answer leaves an unused conversation at Vonage, never a
    // customer without one. The reference leads an operator from Vonage back to us.
    const request = {
      displayName: conversation.displayName,
      properties: { customData: { switchboard_conversation_id: conversation.reference } },
    } as unknown as ConversationRequest;
    const created = await this.call('create conversation', () =>
      this.vonage.conversations.createConversation(request),
    );
    return required(created.id, 'conversation id');
  }

  async join(conversationId: string, userId: string): Promise<string> {
    const request = {
      state: 'joined',
      user: { id: userId },
      channel: { type: 'app' },
    } as unknown as MemberRequest;
    try {
      const member = await this.vonage.conversations.createMember(conversationId, request);
      return required(member.id, 'member id');
    } catch (error) {
      const failure = await this.failure(error, 'join member');
      if (failure.providerCode !== 'conversation:error:member-already-joined') throw failure;
    }
    for await (const member of this.vonage.conversations.listAllMembers(conversationId, { pageSize: 100 })) {
      if (member.user?.id === userId && member.id) return member.id;
    }
    throw new ConversationsApiError(
      `Vonage says user ${userId} joined conversation ${conversationId}, but lists no member for them`,
      true,
      'conversation:error:member-already-joined',
    );
  }

  async postEvent(conversationId: string, event: ProviderEvent): Promise<string> {
    // The SDK renames the body's top-level keys to snake_case; callers send snake_case already.
    const request = { type: event.type, from: event.from, body: event.body } as unknown as EventRequest;
    const created = await this.call('post event', () =>
      this.vonage.conversations.createEvent(conversationId, request),
    );
    return String(required(created.id, 'event id'));
  }

  clientToken(user: { id: string; name: string }, conversationId: string, ttlSeconds: number): ClientToken {
    const expiresIn = Math.min(Math.max(Math.floor(ttlSeconds), 30), MAX_CLIENT_TOKEN_SECONDS);
    // Only what the chat page does with nexmo-client 9.5: its own session (open, renew, close), reading
    // its user, the conversation and its members, and reading and posting events. Never deleting events or
    // changing members (the customer could otherwise remove the desk's replies or make the desk leave).
    const conversation = `/*/conversations/${conversationId}`;
    const token = tokenGenerate(this.config.applicationId, this.config.privateKey, {
      subject: user.name,
      ttl: expiresIn,
      acl: {
        paths: {
          '/*/sessions/**': {},
          [`/*/users/${user.id}`]: { methods: ['GET'] },
          [conversation]: { methods: ['GET'] },
          [`${conversation}/members/**`]: { methods: ['GET'] },
          [`${conversation}/events`]: { methods: ['GET', 'POST'] },
        },
      },
    });
    return { token, expiresIn };
  }

  private async call<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw await this.failure(error, action);
    }
  }

  private async failure(error: unknown, action: string): Promise<ConversationsApiError> {
    if (error instanceof ConversationsApiError) return error;
    const { name, code, message, response } = (error ?? {}) as SdkHttpError;
    if (name === 'AbortError') {
      return new ConversationsApiError(
        `Vonage did not answer (${action}) within ${this.timeoutMs} ms`,
        true,
        'timeout',
      );
    }
    if (typeof response?.status === 'number') {
      const status = response.status;
      const problem = await readProblem(response);
      const retryable = status >= 500 || status === 429 || status === 408;
      const detail = problem.detail ?? problem.title;
      return new ConversationsApiError(
        `Vonage refused to ${action}: HTTP ${status}${problem.code ? ` ${problem.code}` : ''}${detail ? ` (${detail})` : ''}`,
        retryable,
        problem.code ?? `http ${status}`,
      );
    }
    if (name === 'FetchError' || (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code))) {
      return new ConversationsApiError(
        `Vonage could not be reached (${action}): ${typeof message === 'string' ? message : String(code)}`,
        true,
        typeof code === 'string' ? `network ${code}` : 'network',
      );
    }
    // Neither network nor Vonage: a bad configuration or a bug. Only the message, never the error object.
    return new ConversationsApiError(
      `Vonage ${action} failed: ${typeof message === 'string' ? message : 'unknown error'}`,
      false,
    );
  }
}

/** Vonage's error body: `{ title, type, code, detail, instance }`. */
async function readProblem(response: SdkHttpError['response']): Promise<{
  code?: string;
  title?: string;
  detail?: string;
}> {
  try {
    const body = JSON.parse((await response?.text?.()) ?? '') as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    return { code: text(body.code), title: text(body.title), detail: text(body.detail) };
  } catch {
    return {};
  }
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') {
    throw new ConversationsApiError(`Vonage answered without the ${what}`, false, 'malformed answer');
  }
  return value;
}
