import { ref } from 'vue';

import { withdrawChatLinks as withdrawChatLinksCall } from '../../../api/agent-client';
import { customerName } from '../../../console/ticket-display';
import { toApiError } from '../inbox';
import { useAgentSessionStore } from '../session';
import { useToastStore } from '../toasts';
import type { TicketLoading } from './useTicketLoading';

/** The order panel's "withdraw chat links" for the open chat's customer: under way, and why it failed. */
export function useChatLinkWithdrawal(ticket: TicketLoading) {
  const withdrawing = ref(false);
  const withdrawError = ref<string | null>(null);

  /**
   * Withdraws every chat link sent to the open chat's customer (an order email reached the wrong
   * person): their links stop working and their open chat ends. True when done.
   */
  async function withdrawChatLinks(): Promise<boolean> {
    const current = ticket.detail.value;
    if (!current || current.channel !== 'chat' || withdrawing.value) return false;
    withdrawing.value = true;
    withdrawError.value = null;
    try {
      await useAgentSessionStore().authorized((token) => withdrawChatLinksCall(token, current.customer.id));
      const name = customerName(current.customer);
      useToastStore().show({
        tone: 'success',
        title: 'Chat links withdrawn',
        body: `${name}'s chat links no longer work, and an open chat has closed. Links in new order emails work.`,
      });
      return true;
    } catch (failure) {
      const problem = toApiError(failure);
      withdrawError.value =
        problem.status === 0
          ? 'Not withdrawn: no connection to the server. Try again.'
          : `Not withdrawn: ${problem.errorId ? `${problem.message} (error ${problem.errorId})` : problem.message}`;
      return false;
    } finally {
      withdrawing.value = false;
    }
  }

  return {
    withdrawing,
    withdrawError,
    withdrawChatLinks,
    /** Another ticket opened: an old failure is not about it. */
    forget(): void {
      withdrawError.value = null;
    },
  };
}
