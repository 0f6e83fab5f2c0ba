import type { TypingChanged } from '@switchboard/contracts';
import { ref } from 'vue';

import { conversationIdOf, type ChatContext, type Timer } from './chat-context';

/** While the customer keeps typing, say so again this often (the other side hides a silent indicator). */
const TYPING_REPEAT_MS = 3_000;
/** Stop "typing" after this long without a keystroke. */
const TYPING_IDLE_MS = 4_000;
/** Hide the agent's typing indicator when no new signal came for this long. */
const AGENT_TYPING_TIMEOUT_MS = 6_000;

/** "Typing…" both ways: the customer's, sent while they compose, and the agent's, shown until it stops. */
export function useTyping(context: ChatContext) {
  const agentTyping = ref<{ name: string | null } | null>(null);
  let typingSince = 0;
  let typingIdleTimer: Timer | undefined;
  let agentTypingTimer: Timer | undefined;

  /** The composer's text changed: tells the agent the customer is typing, and when they stopped. */
  function composing(text: string): void {
    if (text.trim() === '') {
      stopTyping();
      return;
    }
    const transport = context.transport();
    if (!transport || context.connection.value !== 'online') return;
    const now = Date.now();
    if (now - typingSince >= TYPING_REPEAT_MS) {
      transport.typing(conversationIdOf(context), true);
      typingSince = now;
    }
    clearTimeout(typingIdleTimer);
    typingIdleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function stopTyping(): void {
    clearTimeout(typingIdleTimer);
    if (typingSince === 0) return;
    typingSince = 0;
    if (context.connection.value === 'online') context.transport()?.typing(conversationIdOf(context), false);
  }

  function onTyping(change: TypingChanged): void {
    if (change.role !== 'agent' || change.conversationId !== context.link.value?.conversationId) return;
    clearTimeout(agentTypingTimer);
    agentTyping.value = change.typing ? { name: change.name } : null;
    if (change.typing)
      agentTypingTimer = setTimeout(() => (agentTyping.value = null), AGENT_TYPING_TIMEOUT_MS);
  }

  return {
    agentTyping,
    composing,
    stopTyping,
    onTyping,
    /** An agent's message arrived: they are no longer typing it. */
    agentWrote(): void {
      agentTyping.value = null;
    },
    /** The connection dropped: nobody is typing, and a reconnect says so afresh. */
    disconnected(): void {
      typingSince = 0;
      agentTyping.value = null;
    },
    reset(): void {
      agentTyping.value = null;
    },
    stop(): void {
      typingSince = 0;
      clearTimeout(typingIdleTimer);
      clearTimeout(agentTypingTimer);
    },
  };
}
