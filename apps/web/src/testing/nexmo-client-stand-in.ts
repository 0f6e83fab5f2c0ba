import type {
  VonageApplication,
  VonageClient,
  VonageConversation,
  VonageEvent,
  VonageEventsPage,
} from '../chat/vonage-transport';

type Listener = (...args: never[]) => void;

/**
 * A stand-in for the `nexmo-client` module (its default export, `NexmoClient`), behaving as
 * docs/provider-contracts.md §5.5 describes version 9: sessions from a JWT, conversations with their
 * own member, events numbered per conversation, paged history, listeners per event type without the
 * `custom:` prefix. Tests reach the instances through `StandInNexmoClient.instances`.
 */
export class StandInNexmoClient implements VonageClient {
  static instances: StandInNexmoClient[] = [];
  /** Tokens `createSession` refuses as expired. */
  static expiredTokens = new Set<string>();
  /** How many `createSession` calls fail as if Vonage could not be reached. */
  static unreachable = 0;

  readonly listeners = new Map<string, Listener>();
  readonly sessions: string[] = [];
  application: StandInApplication | undefined;
  deleted = false;

  constructor(readonly options: Record<string, unknown>) {
    StandInNexmoClient.instances.push(this);
  }

  static reset(): void {
    StandInNexmoClient.instances = [];
    StandInNexmoClient.expiredTokens.clear();
    StandInNexmoClient.unreachable = 0;
    StandInConversation.all.clear();
  }

  on(event: string, listener: () => void): void {
    this.listeners.set(event, listener);
  }

  /** The websocket dropped, came back … */
  emit(event: 'disconnect' | 'reconnect' | 'reconnecting'): void {
    this.listeners.get(event)?.();
  }

  async createSession(token: string): Promise<VonageApplication> {
    this.sessions.push(token);
    if (StandInNexmoClient.unreachable > 0) {
      StandInNexmoClient.unreachable -= 1;
      throw Object.assign(new Error('websocket error'), { name: 'NexmoClientError' });
    }
    if (StandInNexmoClient.expiredTokens.has(token)) {
      throw {
        name: 'NexmoApiError',
        type: 'system:error:expired-token',
        message: 'type: system:error:expired-token',
      };
    }
    this.application ??= new StandInApplication(token);
    return this.application;
  }

  async deleteSession(): Promise<void> {
    this.deleted = true;
  }
}

export class StandInApplication implements VonageApplication {
  readonly errorListeners = new Map<string, (error: unknown) => void>();
  readonly tokens: string[];

  constructor(token: string) {
    this.tokens = [token];
  }

  on(event: string, _group: string, listener: (error: unknown) => void): void {
    this.errorListeners.set(event, listener);
  }

  async getConversation(id: string): Promise<VonageConversation> {
    const conversation = StandInConversation.all.get(id);
    if (!conversation) throw { type: 'conversation:error:not-found' };
    return conversation;
  }

  async updateToken(token: string): Promise<void> {
    this.tokens.push(token);
  }
}

export class StandInConversation implements VonageConversation {
  static readonly all = new Map<string, StandInConversation>();
  readonly me = { id: 'MEM-customer' };
  readonly events: VonageEvent[] = [];
  readonly listeners = new Map<string, (sender: { displayName?: string }, event: VonageEvent) => void>();
  readonly pageRequests: { page_size: number; order: string }[] = [];
  failSends = 0;

  constructor(readonly id: string) {
    StandInConversation.all.set(id, this);
  }

  on(event: string, listener: (sender: { displayName?: string }, event: VonageEvent) => void): void {
    this.listeners.set(event, listener);
  }

  off(event: string): void {
    this.listeners.delete(event);
  }

  /** An event arrives over the websocket, as nexmo-client hands it to listeners (no `custom:` prefix). */
  deliver(event: Omit<VonageEvent, 'id' | 'timestamp'>): VonageEvent {
    const stored = this.store(event);
    this.listeners.get(stored.type.replace(/^custom:/, ''))?.(
      { displayName: 'ACME Support' },
      {
        ...stored,
        type: stored.type.replace(/^custom:/, ''),
      },
    );
    return stored;
  }

  /** Already in the conversation before the page opened. */
  store(event: Omit<VonageEvent, 'id' | 'timestamp'>): VonageEvent {
    const stored = {
      ...event,
      id: String(this.events.length + 1),
      timestamp: new Date(2026, 10, 3, 12, this.events.length).toISOString(),
    };
    this.events.push(stored);
    return stored;
  }

  async sendMessage(message: { message_type: 'text'; text: string }): Promise<VonageEvent> {
    if (this.failSends > 0) {
      this.failSends -= 1;
      throw { type: 'http:error:network' };
    }
    const event = this.deliver({ type: 'message', from: this.me.id, body: message });
    return { id: event.id, type: event.type, from: event.from, timestamp: event.timestamp };
  }

  async getEvents(params: { page_size: number; order: 'asc' | 'desc' }): Promise<VonageEventsPage> {
    this.pageRequests.push(params);
    const ordered = params.order === 'asc' ? this.events : [...this.events].reverse();
    const page = (start: number): VonageEventsPage => {
      const slice = ordered.slice(start, start + params.page_size);
      return {
        // The SDK strips `custom:` from history too.
        items: new Map(
          slice.map((event) => [String(event.id), { ...event, type: event.type.replace(/^custom:/, '') }]),
        ),
        hasNext: () => start + params.page_size < ordered.length,
        getNext: async () => page(start + params.page_size),
      };
    };
    return page(0);
  }
}

export default StandInNexmoClient;
