import {
  CHAT_MESSAGE_MAX_LENGTH,
  type ChatMessage,
  type ChatSessionResponse,
  type ConversationView,
  ErrorCode,
  type OrderView,
  type ReadChanged,
  type TypingChanged,
} from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

import { createChatSession, fetchConversation } from '../api/chat';
import { ApiError, ClientErrorCode } from '../api/http';
import { newClientId } from '../chat/client-id';
import {
  ChatRequestError,
  type ChatTransport,
  type ConnectionState,
  type ReadMarkers,
  type Unsubscribe,
} from '../chat/chat-transport';
import { loadChatTransport } from '../chat/load-chat-transport';
import type { LoadStatus } from './load-status';

/** What the chat link in the order email names: the conversation, the order it is about, and its token. */
export interface ChatLink {
  conversationId: string;
  orderId: string;
  token: string;
}

/** A message typed here that the server has not acknowledged yet (or refused). */
export interface PendingMessage {
  /** Sent with every attempt, so a resend after a reconnect is never stored twice. */
  clientId: string;
  body: string;
  createdAt: string;
  /** `sending` until stored; `failed` when the server refused it for good (the customer decides what next). */
  state: 'sending' | 'failed';
  /** The server's reason for the last refusal: why it failed, or why a `sending` one is held back. */
  error: string | null;
}

/** `online` once connected and caught up; messages typed before that wait in `pending`. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export type ConversationSummary = Omit<ConversationView, 'messages' | 'read'>;

/** Renew the session this long before it expires. */
const RENEW_BEFORE_EXPIRY_S = 60;
/** After a renewal that got no answer, try again this much later. */
const RENEW_RETRY_MS = 15_000;
/** While the customer keeps typing, say so again this often (the other side hides a silent indicator). */
const TYPING_REPEAT_MS = 3_000;
/** Stop "typing" after this long without a keystroke. */
const TYPING_IDLE_MS = 4_000;
/** Hide the agent's typing indicator when no new signal came for this long. */
const AGENT_TYPING_TIMEOUT_MS = 6_000;
/** A live message that skips a `seq` waits this long for the missing one before asking for it. */
const GAP_WAIT_MS = 500;
/** A request that got no answer on a live connection is tried again this much later. */
const RETRY_MS = 3_000;
/** After `chat/rate_limited`, send again this much later (the server allows one message a second). */
const RATE_LIMIT_RETRY_MS = 1_500;
/** The most messages one join answers with; a full page means there may be more. */
const CATCH_UP_PAGE = 500;
const EARLIER_PAGE = 100;

/**
 * The customer's chat page: the session bought with the chat link (renewed before it expires and on a
 * 401), the conversation loaded over REST, then kept live by a `ChatTransport`. Messages are kept in
 * `seq` order without duplicates whichever way they arrive (history, live, catch-up, acknowledgement).
 */
export const useConversationStore = defineStore('conversation', () => {
  const status = ref<LoadStatus>('idle');
  const error = ref<ApiError | null>(null);
  const link = ref<ChatLink | null>(null);
  const session = ref<ChatSessionResponse | null>(null);
  const conversation = ref<ConversationSummary | null>(null);
  const messages = shallowRef<ChatMessage[]>([]);
  const pending = ref<PendingMessage[]>([]);
  const read = ref<ReadMarkers>({ customer: 0, agent: 0 });
  const connection = ref<ConnectionStatus>('connecting');
  const agentTyping = ref<{ name: string | null } | null>(null);
  const earlierStatus = ref<LoadStatus>('idle');

  const lastSeq = computed(() => messages.value.at(-1)?.seq ?? 0);
  const currentOrder = computed<OrderView | null>(
    () => conversation.value?.orders.find((order) => order.id === link.value?.orderId) ?? null,
  );
  const otherOrders = computed<OrderView[]>(
    () => conversation.value?.orders.filter((order) => order.id !== link.value?.orderId) ?? [],
  );

  let transport: ChatTransport | undefined;
  let transportState: ConnectionState = 'connecting';
  let subscriptions: Unsubscribe[] = [];
  /** Every message up to this `seq` is here: a reconnect asks for what came after it. */
  let syncedSeq = 0;
  /** Bumped by open/close: async work started for an earlier page life drops its result. */
  let generation = 0;
  let renewing: Promise<ChatSessionResponse> | null = null;
  let syncing: Promise<void> | null = null;
  let syncAgain = false;
  let flushing = false;
  let typingSince = 0;
  let readSent = 0;
  let refusedHandshakes = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let typingIdleTimer: ReturnType<typeof setTimeout> | undefined;
  let agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;

  /** Opens the chat for this link: session, conversation, then the live connection. Never rejects. */
  async function open(next: ChatLink): Promise<void> {
    close();
    const current = generation;
    link.value = next;
    status.value = 'loading';
    error.value = null;
    session.value = null;
    conversation.value = null;
    messages.value = [];
    pending.value = [];
    read.value = { customer: 0, agent: 0 };
    connection.value = 'connecting';
    agentTyping.value = null;
    earlierStatus.value = 'idle';
    syncedSeq = 0;
    readSent = 0;
    refusedHandshakes = 0;

    let loaded: ChatTransport;
    try {
      await renewSession();
      const [view, transportLoaded] = await Promise.all([
        withSession((token) => fetchConversation(next.conversationId, token)),
        loadChatTransport(session.value!.transport),
      ]);
      loaded = transportLoaded;
      if (current !== generation) {
        loaded.disconnect();
        return;
      }
      applyView(view, !loaded.ownsHistory);
    } catch (cause) {
      if (current === generation) fail(cause);
      return;
    }
    if (current !== generation) {
      loaded.disconnect();
      return;
    }
    transport = loaded;
    status.value = 'ready';
    subscriptions = [
      transport.onConnectionChange(onConnectionChange),
      transport.onMessage(onLiveMessage),
      transport.onTyping(onTyping),
      transport.onRead(onRead),
    ];
    transport.connect(session.value!);
  }

  /** After an error: the same link again, from the start. */
  function retry(): Promise<void> {
    return link.value ? open(link.value) : Promise.resolve();
  }

  /** Leaves the chat: disconnects and stops every timer. The state stays for whoever still shows it. */
  function close(): void {
    generation += 1;
    for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
    transport?.disconnect();
    transport = undefined;
    transportState = 'connecting';
    renewing = null;
    syncing = null;
    syncAgain = false;
    flushing = false;
    typingSince = 0;
    for (const timer of [...timers, typingIdleTimer, agentTypingTimer, renewTimer]) clearTimeout(timer);
    timers.clear();
  }

  /** Queues a message and sends it as soon as the chat is online. False when there is nothing to send. */
  function send(text: string): boolean {
    const body = text.trim();
    if (status.value !== 'ready' || body === '' || body.length > CHAT_MESSAGE_MAX_LENGTH) return false;
    pending.value = [
      ...pending.value,
      { clientId: newClientId(), body, createdAt: new Date().toISOString(), state: 'sending', error: null },
    ];
    stopTyping();
    void flushPending();
    return true;
  }

  function retrySend(clientId: string): void {
    pending.value = pending.value.map((message) =>
      message.clientId === clientId ? { ...message, state: 'sending', error: null } : message,
    );
    void flushPending();
  }

  function discard(clientId: string): void {
    pending.value = pending.value.filter((message) => message.clientId !== clientId);
  }

  /** The composer's text changed: tells the agent the customer is typing, and when they stopped. */
  function composing(text: string): void {
    if (text.trim() === '') {
      stopTyping();
      return;
    }
    if (!transport || connection.value !== 'online') return;
    const now = Date.now();
    if (now - typingSince >= TYPING_REPEAT_MS) {
      transport.typing(link.value!.conversationId, true);
      typingSince = now;
    }
    clearTimeout(typingIdleTimer);
    typingIdleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  /** Tells the agent the customer has read everything here. The page calls it while it is visible. */
  async function markRead(): Promise<void> {
    const seq = lastSeq.value;
    if (!transport || connection.value !== 'online' || seq <= Math.max(read.value.customer, readSent)) return;
    readSent = seq;
    try {
      await transport.read(link.value!.conversationId, seq);
      read.value = { ...read.value, customer: Math.max(read.value.customer, seq) };
    } catch {
      // The next visible moment tries again.
      readSent = read.value.customer;
    }
  }

  async function loadEarlier(): Promise<void> {
    const first = messages.value[0];
    if (!first || !conversation.value?.hasEarlier || earlierStatus.value === 'loading') return;
    const current = generation;
    earlierStatus.value = 'loading';
    try {
      const view = await withSession((token) =>
        fetchConversation(link.value!.conversationId, token, { beforeSeq: first.seq, limit: EARLIER_PAGE }),
      );
      if (current !== generation) return;
      accept(view.messages);
      conversation.value = { ...conversation.value, hasEarlier: view.hasEarlier };
      earlierStatus.value = 'ready';
    } catch {
      if (current === generation) earlierStatus.value = 'error';
    }
  }

  /** Without `withHistory` (a transport that keeps its own), only the customer and their orders are used. */
  function applyView(view: ConversationView, withHistory: boolean): void {
    const { messages: history, read: markers, ...summary } = view;
    conversation.value = withHistory ? summary : { ...summary, hasEarlier: false };
    if (!withHistory) return;
    read.value = { ...markers };
    accept(history);
    // The history is complete up to its last message.
    syncedSeq = Math.max(syncedSeq, lastSeq.value);
  }

  /** Merges messages in by `seq`, skipping ones already here, and settles the pending copies they confirm. */
  function accept(incoming: readonly ChatMessage[]): void {
    const conversationId = link.value?.conversationId;
    const ids = new Set(messages.value.map((message) => message.id));
    const seqs = new Set(messages.value.map((message) => message.seq));
    const fresh: ChatMessage[] = [];
    const confirmed = new Set<string>();
    for (const message of incoming) {
      if (message.conversationId !== conversationId) continue;
      if (message.clientId) confirmed.add(message.clientId);
      if (ids.has(message.id) || seqs.has(message.seq)) continue;
      ids.add(message.id);
      seqs.add(message.seq);
      fresh.push(message);
      if (message.author.role === 'agent') agentTyping.value = null;
    }
    if (fresh.length > 0) messages.value = [...messages.value, ...fresh].sort((a, b) => a.seq - b.seq);
    if (confirmed.size > 0 && pending.value.some((message) => confirmed.has(message.clientId))) {
      pending.value = pending.value.filter((message) => !confirmed.has(message.clientId));
    }
    while (seqs.has(syncedSeq + 1)) syncedSeq += 1;
  }

  function onConnectionChange(state: ConnectionState): void {
    transportState = state;
    if (state === 'connected') {
      void sync();
      return;
    }
    connection.value = state === 'connecting' ? 'connecting' : 'offline';
    typingSince = 0;
    agentTyping.value = null;
    if (state === 'unauthorized') void reauthorize();
  }

  function onLiveMessage(message: ChatMessage): void {
    accept([message]);
    // A `seq` went missing on the way (e.g. sent while this socket was still joining): fetch it.
    if (lastSeq.value > syncedSeq) later(GAP_WAIT_MS, () => lastSeq.value > syncedSeq && void sync());
  }

  function onTyping(change: TypingChanged): void {
    if (change.role !== 'agent' || change.conversationId !== link.value?.conversationId) return;
    clearTimeout(agentTypingTimer);
    agentTyping.value = change.typing ? { name: change.name } : null;
    if (change.typing)
      agentTypingTimer = setTimeout(() => (agentTyping.value = null), AGENT_TYPING_TIMEOUT_MS);
  }

  function onRead(change: ReadChanged): void {
    if (change.conversationId !== link.value?.conversationId) return;
    read.value = { ...read.value, [change.role]: Math.max(read.value[change.role], change.seq) };
  }

  /** On every (re)connection: join and catch up from the last `seq` seen, then send what waited. */
  function sync(): Promise<void> {
    if (syncing) {
      // A connection came back while a join for an older one was still out: join again after it.
      syncAgain = true;
      return syncing;
    }
    const current = generation;
    syncing = (async () => {
      try {
        await catchUp();
        if (current !== generation) return;
        refusedHandshakes = 0;
        connection.value = 'online';
        void flushPending();
      } catch (cause) {
        if (current !== generation) return;
        if (!isUnanswered(cause) && !isServerFault(cause)) {
          fail(cause);
          return;
        }
        if (transportState === 'connected' && !syncAgain) later(RETRY_MS, () => void sync());
      } finally {
        if (current === generation) {
          syncing = null;
          if (syncAgain) {
            syncAgain = false;
            void sync();
          }
        }
      }
    })();
    return syncing;
  }

  async function catchUp(): Promise<void> {
    const conversationId = link.value!.conversationId;
    for (;;) {
      const { messages: missed, read: markers } = await transport!.join(conversationId, syncedSeq);
      accept(missed);
      // A join answers with everything after `syncedSeq` up to its own last message.
      syncedSeq = Math.max(syncedSeq, missed.at(-1)?.seq ?? 0);
      read.value = {
        customer: Math.max(read.value.customer, markers.customer),
        agent: Math.max(read.value.agent, markers.agent),
      };
      if (missed.length < CATCH_UP_PAGE) return;
    }
  }

  /** Sends the waiting messages one at a time, in the order they were typed, while online. */
  async function flushPending(): Promise<void> {
    if (flushing) return;
    const current = generation;
    flushing = true;
    try {
      while (current === generation && connection.value === 'online' && transport) {
        const next = pending.value.find((message) => message.state === 'sending');
        if (!next) return;
        try {
          const { message } = await transport.send({
            conversationId: link.value!.conversationId,
            clientId: next.clientId,
            body: next.body,
          });
          if (current !== generation) return;
          accept([message]);
          discard(next.clientId);
        } catch (cause) {
          if (current !== generation) return;
          if (isUnanswered(cause)) {
            // Still connected? The answer got lost: try again. Otherwise the reconnect sends it.
            if (transportState === 'connected') later(RETRY_MS, () => void flushPending());
            return;
          }
          if (cause instanceof ChatRequestError && cause.code === ErrorCode.ChatRateLimited) {
            // Not the message's fault: it (and everything after it, to keep the order) goes a bit later.
            pending.value = pending.value.map((message) =>
              message.clientId === next.clientId ? { ...message, error: reason(cause) } : message,
            );
            later(RATE_LIMIT_RETRY_MS, () => void flushPending());
            return;
          }
          pending.value = pending.value.map((message) =>
            message.clientId === next.clientId
              ? { ...message, state: 'failed', error: reason(cause) }
              : message,
          );
        }
      }
    } finally {
      if (current === generation) flushing = false;
    }
  }

  function stopTyping(): void {
    clearTimeout(typingIdleTimer);
    if (typingSince === 0) return;
    typingSince = 0;
    if (connection.value === 'online') transport?.typing(link.value!.conversationId, false);
  }

  /** The server refused the socket's token (expired while offline): renew, then the transport retries. */
  async function reauthorize(): Promise<void> {
    const current = generation;
    refusedHandshakes += 1;
    // A renewed session that is refused again should not turn into a tight loop.
    if (refusedHandshakes > 2)
      await new Promise<void>((resolve) => later(RETRY_MS * refusedHandshakes, resolve));
    if (current !== generation) return;
    try {
      await renewSession();
    } catch (cause) {
      if (current !== generation) return;
      if (isUnanswered(cause) || isServerFault(cause)) later(RENEW_RETRY_MS, () => void reauthorize());
      else fail(cause);
    }
  }

  /** Posts the link's token again for a fresh session; concurrent callers share one request. */
  function renewSession(): Promise<ChatSessionResponse> {
    const current = generation;
    const { conversationId, token } = link.value!;
    renewing ??= createChatSession({ conversationId, token })
      .then((next) => {
        if (current !== generation) return next;
        session.value = next;
        scheduleRenewal(next.expiresIn);
        transport?.connect(next);
        return next;
      })
      .finally(() => {
        if (current === generation) renewing = null;
      });
    return renewing;
  }

  function scheduleRenewal(expiresIn: number): void {
    clearTimeout(renewTimer);
    const seconds = Math.max(expiresIn - RENEW_BEFORE_EXPIRY_S, expiresIn / 2);
    renewTimer = setTimeout(renewOnSchedule, seconds * 1000);
  }

  function renewOnSchedule(): void {
    const current = generation;
    renewSession().catch((cause: unknown) => {
      if (current !== generation) return;
      if (isUnanswered(cause) || isServerFault(cause))
        renewTimer = setTimeout(renewOnSchedule, RENEW_RETRY_MS);
      else fail(cause);
    });
  }

  /** Runs a REST call with the session's token; on a 401 renews the session once and tries again. */
  async function withSession<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    try {
      return await call(session.value!.accessToken);
    } catch (cause) {
      if (!(cause instanceof ApiError) || cause.status !== 401) throw cause;
      const renewed = await renewSession();
      return call(renewed.accessToken);
    }
  }

  function fail(cause: unknown): void {
    close();
    error.value = toApiError(cause);
    status.value = 'error';
  }

  function later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  }

  return {
    status,
    error,
    link,
    session,
    conversation,
    messages,
    pending,
    read,
    connection,
    agentTyping,
    earlierStatus,
    lastSeq,
    currentOrder,
    otherOrders,
    open,
    retry,
    close,
    send,
    retrySend,
    discard,
    composing,
    markRead,
    loadEarlier,
  };
});

function isUnanswered(cause: unknown): boolean {
  return (
    (cause instanceof ChatRequestError && cause.unanswered) ||
    (cause instanceof ApiError && cause.code === ClientErrorCode.Network)
  );
}

function isServerFault(cause: unknown): boolean {
  return (
    (cause instanceof ChatRequestError && cause.code === ErrorCode.Internal) ||
    (cause instanceof ApiError && cause.status >= 500)
  );
}

function reason(cause: unknown): string {
  if (cause instanceof ChatRequestError && cause.code === ErrorCode.Internal) {
    return 'Something went wrong on our side.';
  }
  return cause instanceof Error ? cause.message : String(cause);
}

function toApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  if (cause instanceof ChatRequestError) {
    return new ApiError({ status: 0, code: cause.code, message: cause.message, cause });
  }
  return new ApiError({
    status: 0,
    code: ClientErrorCode.UnexpectedResponse,
    message: cause instanceof Error ? cause.message : String(cause),
    cause,
  });
}
