import type { ChatMessage, ConversationView } from '@switchboard/contracts';
import { ref, type Ref } from 'vue';

import { fetchConversation } from '../../api/chat';
import type { LoadStatus } from '../load-status';
import { conversationIdOf, type ChatContext, type ConversationSummary } from './chat-context';

const EARLIER_PAGE = 100;

/** "Show earlier messages": the page of history before the first message here, over REST. */
export function useEarlierMessages(
  context: ChatContext,
  chat: {
    conversation: Ref<ConversationSummary | null>;
    messages: Ref<ChatMessage[]>;
    accept(messages: readonly ChatMessage[]): void;
    withSession(call: (accessToken: string) => Promise<ConversationView>): Promise<ConversationView>;
  },
) {
  const { life } = context;
  const earlierStatus = ref<LoadStatus>('idle');

  async function loadEarlier(): Promise<void> {
    const first = chat.messages.value[0];
    if (!first || !chat.conversation.value?.hasEarlier || earlierStatus.value === 'loading') return;
    const current = life.current();
    earlierStatus.value = 'loading';
    try {
      const view = await chat.withSession((token) =>
        fetchConversation(conversationIdOf(context), token, { beforeSeq: first.seq, limit: EARLIER_PAGE }),
      );
      if (!life.isCurrent(current)) return;
      chat.accept(view.messages);
      chat.conversation.value = { ...chat.conversation.value, hasEarlier: view.hasEarlier };
      earlierStatus.value = 'ready';
    } catch {
      if (life.isCurrent(current)) earlierStatus.value = 'error';
    }
  }

  return {
    earlierStatus,
    loadEarlier,
    reset(): void {
      earlierStatus.value = 'idle';
    },
  };
}
