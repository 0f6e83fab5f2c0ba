import type { ChatSessionResponse } from '@switchboard/contracts';
import { ref } from 'vue';

import { createChatSession } from '../../api/chat';
import { ApiError } from '../../api/http';
import { isServerFault, isUnanswered } from './chat-failures';
import type { ChatContext, Timer } from './chat-context';

/** Renew the session this long before it expires. */
const RENEW_BEFORE_EXPIRY_S = 60;
/** After a renewal that got no answer, try again this much later. */
const RENEW_RETRY_MS = 15_000;
/** A request that got no answer on a live connection is tried again this much later. */
const RETRY_MS = 3_000;

/**
 * The chat session bought with the link's token: renewed before it expires, after a 401 and when the
 * server refuses the socket's token; each renewed session goes to the live transport at once.
 */
export function useChatSession(context: ChatContext) {
  const { life } = context;
  const session = ref<ChatSessionResponse | null>(null);
  let renewing: Promise<ChatSessionResponse> | null = null;
  let renewTimer: Timer | undefined;
  let refusedHandshakes = 0;

  /** Posts the link's token again for a fresh session; concurrent callers share one request. */
  function renew(): Promise<ChatSessionResponse> {
    const current = life.current();
    const { conversationId, token } = context.link.value!;
    renewing ??= createChatSession({ conversationId, token })
      .then((next) => {
        if (!life.isCurrent(current)) return next;
        session.value = next;
        scheduleRenewal(next.expiresIn);
        context.transport()?.connect(next);
        return next;
      })
      .finally(() => {
        if (life.isCurrent(current)) renewing = null;
      });
    return renewing;
  }

  function scheduleRenewal(expiresIn: number): void {
    clearTimeout(renewTimer);
    const seconds = Math.max(expiresIn - RENEW_BEFORE_EXPIRY_S, expiresIn / 2);
    renewTimer = setTimeout(renewOnSchedule, seconds * 1000);
  }

  function renewOnSchedule(): void {
    const current = life.current();
    renew().catch((cause: unknown) => {
      if (!life.isCurrent(current)) return;
      if (isUnanswered(cause) || isServerFault(cause))
        renewTimer = setTimeout(renewOnSchedule, RENEW_RETRY_MS);
      else context.fail(cause);
    });
  }

  /** The server refused the socket's token (expired while offline): renew, then the transport retries. */
  async function reauthorize(): Promise<void> {
    const current = life.current();
    refusedHandshakes += 1;
    // A renewed session that is refused again should not turn into a tight loop.
    if (refusedHandshakes > 2)
      await new Promise<void>((resolve) => life.later(RETRY_MS * refusedHandshakes, resolve));
    if (!life.isCurrent(current)) return;
    try {
      await renew();
    } catch (cause) {
      if (!life.isCurrent(current)) return;
      if (isUnanswered(cause) || isServerFault(cause)) life.later(RENEW_RETRY_MS, () => void reauthorize());
      else context.fail(cause);
    }
  }

  /** Runs a REST call with the session's token; on a 401 renews the session once and tries again. */
  async function withSession<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    try {
      return await call(session.value!.accessToken);
    } catch (cause) {
      if (!(cause instanceof ApiError) || cause.status !== 401) throw cause;
      const renewed = await renew();
      return call(renewed.accessToken);
    }
  }

  return {
    session,
    renew,
    reauthorize,
    withSession,
    /** The socket was let in: a later refusal starts counting again. */
    accepted(): void {
      refusedHandshakes = 0;
    },
    reset(): void {
      session.value = null;
      refusedHandshakes = 0;
    },
    stop(): void {
      renewing = null;
      clearTimeout(renewTimer);
    },
  };
}
