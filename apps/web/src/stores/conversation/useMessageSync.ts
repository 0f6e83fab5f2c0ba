import type { ChatMessage } from '@switchboard/contracts';
import { computed, shallowRef } from 'vue';

import type { ReadMarkers } from '../../chat/chat-transport';
import { isServerFault, isUnanswered } from './chat-failures';
import { conversationIdOf, type ChatContext } from './chat-context';

/** A live message that skips a `seq` waits this long for the missing one before asking for it. */
const GAP_WAIT_MS = 500;
/** A join that got no answer on a live connection is tried again this much later. */
const RETRY_MS = 3_000;
/** The most messages one join answers with; a full page means there may be more. */
const CATCH_UP_PAGE = 500;

export interface MessageSyncHooks {
  /** Messages the server stored carried these client ids: their pending copies are done. */
  confirmed(clientIds: ReadonlySet<string>): void;
  agentWrote(): void;
  /** A join answered with read markers. */
  readMarkers(markers: ReadMarkers): void;
  /** Joined and caught up: the chat is online. */
  caughtUp(): void;
}

/**
 * The messages, in `seq` order without duplicates whichever way they arrive (history, live, catch-up,
 * acknowledgement). On every (re)connection it joins from the last `seq` it has without a gap, and a
 * live message that skips one asks for what is missing.
 */
export function useMessageSync(context: ChatContext, hooks: MessageSyncHooks) {
  const { life } = context;
  const messages = shallowRef<ChatMessage[]>([]);
  const lastSeq = computed(() => messages.value.at(-1)?.seq ?? 0);
  /** Every message up to this `seq` is here: a reconnect asks for what came after it. */
  let syncedSeq = 0;
  let syncing: Promise<void> | null = null;
  let syncAgain = false;

  /** Merges messages in by `seq`, skipping ones already here, and settles the pending copies they confirm. */
  function accept(incoming: readonly ChatMessage[]): void {
    const conversationId = context.link.value?.conversationId;
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
      if (message.author.role === 'agent') hooks.agentWrote();
    }
    if (fresh.length > 0) messages.value = [...messages.value, ...fresh].sort((a, b) => a.seq - b.seq);
    if (confirmed.size > 0) hooks.confirmed(confirmed);
    while (seqs.has(syncedSeq + 1)) syncedSeq += 1;
  }

  /** A history loaded over REST: complete up to its last message. */
  function acceptHistory(history: readonly ChatMessage[]): void {
    accept(history);
    syncedSeq = Math.max(syncedSeq, lastSeq.value);
  }

  function onLiveMessage(message: ChatMessage): void {
    accept([message]);
    // A `seq` went missing on the way (e.g. sent while this socket was still joining): fetch it.
    if (lastSeq.value > syncedSeq) life.later(GAP_WAIT_MS, () => lastSeq.value > syncedSeq && void sync());
  }

  /** On every (re)connection: join and catch up from the last `seq` seen, then the chat is online. */
  function sync(): Promise<void> {
    if (syncing) {
      // A connection came back while a join for an older one was still out: join again after it.
      syncAgain = true;
      return syncing;
    }
    const current = life.current();
    syncing = (async () => {
      try {
        await catchUp();
        if (!life.isCurrent(current)) return;
        hooks.caughtUp();
      } catch (cause) {
        if (!life.isCurrent(current)) return;
        if (!isUnanswered(cause) && !isServerFault(cause)) {
          context.fail(cause);
          return;
        }
        if (context.connected() && !syncAgain) life.later(RETRY_MS, () => void sync());
      } finally {
        if (life.isCurrent(current)) {
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
    const conversationId = conversationIdOf(context);
    for (;;) {
      const { messages: missed, read } = await context.transport()!.join(conversationId, syncedSeq);
      accept(missed);
      // A join answers with everything after `syncedSeq` up to its own last message.
      syncedSeq = Math.max(syncedSeq, missed.at(-1)?.seq ?? 0);
      hooks.readMarkers(read);
      if (missed.length < CATCH_UP_PAGE) return;
    }
  }

  return {
    messages,
    lastSeq,
    accept,
    acceptHistory,
    onLiveMessage,
    sync,
    reset(): void {
      messages.value = [];
      syncedSeq = 0;
    },
    stop(): void {
      syncing = null;
      syncAgain = false;
    },
  };
}
