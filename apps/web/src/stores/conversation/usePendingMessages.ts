import { type ChatMessage, ErrorCode } from '@switchboard/contracts';
import { ref } from 'vue';

import { newClientId } from '../../chat/client-id';
import { ChatRequestError } from '../../chat/chat-transport';
import { isUnanswered, reason } from './chat-failures';
import { conversationIdOf, type ChatContext } from './chat-context';

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

/** A send that got no answer on a live connection is tried again this much later. */
const RETRY_MS = 3_000;
/** After `chat/rate_limited`, send again this much later (the server allows one message a second). */
const RATE_LIMIT_RETRY_MS = 1_500;

/**
 * Messages the customer wrote that the server has not stored yet: sent one at a time in the order they
 * were written while online, each with its client id, so one resent after a lost answer or a reconnect
 * is stored once.
 */
export function usePendingMessages(context: ChatContext, accept: (messages: ChatMessage[]) => void) {
  const { life } = context;
  const pending = ref<PendingMessage[]>([]);
  let flushing = false;

  function add(body: string): void {
    pending.value = [
      ...pending.value,
      { clientId: newClientId(), body, createdAt: new Date().toISOString(), state: 'sending', error: null },
    ];
  }

  function retrySend(clientId: string): void {
    update(clientId, { state: 'sending', error: null });
    void flush();
  }

  function discard(clientId: string): void {
    pending.value = pending.value.filter((message) => message.clientId !== clientId);
  }

  function update(clientId: string, change: Partial<PendingMessage>): void {
    pending.value = pending.value.map((message) =>
      message.clientId === clientId ? { ...message, ...change } : message,
    );
  }

  /** Sends the waiting messages one at a time, in the order they were typed, while online. */
  async function flush(): Promise<void> {
    if (flushing) return;
    const current = life.current();
    flushing = true;
    try {
      while (life.isCurrent(current) && context.connection.value === 'online' && context.transport()) {
        const next = pending.value.find((message) => message.state === 'sending');
        if (!next) return;
        try {
          const { message } = await context.transport()!.send({
            conversationId: conversationIdOf(context),
            clientId: next.clientId,
            body: next.body,
          });
          if (!life.isCurrent(current)) return;
          accept([message]);
          discard(next.clientId);
        } catch (cause) {
          if (!life.isCurrent(current)) return;
          if (isUnanswered(cause)) {
            // Still connected? The answer got lost: try again. Otherwise the reconnect sends it.
            if (context.connected()) life.later(RETRY_MS, () => void flush());
            return;
          }
          if (cause instanceof ChatRequestError && cause.code === ErrorCode.ChatRateLimited) {
            // Not the message's fault: it (and everything after it, to keep the order) goes a bit later.
            update(next.clientId, { error: reason(cause) });
            life.later(RATE_LIMIT_RETRY_MS, () => void flush());
            return;
          }
          update(next.clientId, { state: 'failed', error: reason(cause) });
        }
      }
    } finally {
      if (life.isCurrent(current)) flushing = false;
    }
  }

  return {
    pending,
    add,
    retrySend,
    discard,
    flush,
    /** The server stored these: their pending copies go (the stored message shows instead). */
    settle(clientIds: ReadonlySet<string>): void {
      if (pending.value.some((message) => clientIds.has(message.clientId))) {
        pending.value = pending.value.filter((message) => !clientIds.has(message.clientId));
      }
    },
    reset(): void {
      pending.value = [];
    },
    stop(): void {
      flushing = false;
    },
  };
}
