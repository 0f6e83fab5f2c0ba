import type { ConversationView } from '@switchboard/contracts';
import type { Ref } from 'vue';

import type { ChatTransport } from '../../chat/chat-transport';

/** What the chat link in the order email names: the conversation, the order it is about, and its token. */
export interface ChatLink {
  conversationId: string;
  orderId: string;
  token: string;
}

/** `online` once connected and caught up; messages typed before that wait in `pending`. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export type ConversationSummary = Omit<ConversationView, 'messages' | 'read'>;

export type Timer = ReturnType<typeof setTimeout>;

/**
 * One life of the chat page, from `open` to `close`: async work remembers the life it started in and
 * drops its result when that life is over; timers set through `later` end with it.
 */
export function useChatLife() {
  let generation = 0;
  const timers = new Set<Timer>();

  return {
    /** The current life, to compare with `isCurrent` once an await is over. */
    current: (): number => generation,
    isCurrent: (life: number): boolean => life === generation,
    /** Ends this life: what it started is dropped, its timers cleared. */
    end(): void {
      generation += 1;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    later(ms: number, work: () => void): void {
      const timer = setTimeout(() => {
        timers.delete(timer);
        work();
      }, ms);
      timers.add(timer);
    },
  };
}

export type ChatLife = ReturnType<typeof useChatLife>;

/** What the parts of the conversation store share. */
export interface ChatContext {
  readonly life: ChatLife;
  readonly link: Ref<ChatLink | null>;
  readonly connection: Ref<ConnectionStatus>;
  /** The live transport of this life, once the conversation has loaded. */
  transport(): ChatTransport | undefined;
  /** The transport is connected (the chat may still be catching up, not yet `online`). */
  connected(): boolean;
  /** Ends the chat with this error shown in place of the conversation. */
  fail(cause: unknown): void;
}

/** The conversation of the open link (only once `open` set it). */
export function conversationIdOf(context: ChatContext): string {
  return context.link.value!.conversationId;
}
