/**
 * Injection token of the external chat provider chosen at boot: Vonage Conversations when its
 * application is configured, otherwise `null` (the built-in chat, Postgres and our socket.io gateway,
 * carries everything on its own).
 */
export const CONVERSATIONS_API = Symbol('ConversationsApi');

export interface ProviderUser {
  /** Unique within the provider's application, e.g. `switchboard-customer-1042`. */
  name: string;
  displayName: string;
}

export interface ProviderEvent {
  /** `message`, or a custom event `custom:<name>`. */
  type: string;
  /** The member it is posted as. */
  from: string;
  body: Record<string, unknown>;
}

export interface ClientToken {
  token: string;
  expiresIn: number;
}

/** A call that did not work. `retryable`: worth trying again later (5xx, 429, timeout, network). */
export class ConversationsApiError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The provider's error code or HTTP status, e.g. `conversation:error:not-found` or `http 503`. */
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'ConversationsApiError';
  }
}

/** Users, conversations, members, events and browser tokens at the provider. Calls log nothing. */
export interface ConversationsApi {
  readonly name: 'vonage';
  /** Creates the user, or finds it when its name is taken already (a retry after a lost answer). */
  ensureUser(user: ProviderUser): Promise<string>;
  /** A new conversation; `reference` (our conversation id) is kept in its custom data. */
  createConversation(conversation: { displayName: string; reference: string }): Promise<string>;
  /** Joins the user to the conversation; a user already joined gets their existing member. */
  join(conversationId: string, userId: string): Promise<string>;
  /** Posts an event and returns its id in the conversation. */
  postEvent(conversationId: string, event: ProviderEvent): Promise<string>;
  /** A browser token acting as this user in this conversation only, valid `ttlSeconds` (≤ 1 h). */
  clientToken(user: { id: string; name: string }, conversationId: string, ttlSeconds: number): ClientToken;
}
