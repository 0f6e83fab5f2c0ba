import { defineStore } from 'pinia';
import { computed } from 'vue';

import { useChatLinkWithdrawal } from './ticket/useChatLinkWithdrawal';
import { useLiveUpdates } from './ticket/useLiveUpdates';
import { useReplies } from './ticket/useReplies';
import { useTicketActions } from './ticket/useTicketActions';
import { useTicketLoading } from './ticket/useTicketLoading';

export type { PendingReply } from './ticket/useReplies';

/**
 * The open ticket: its detail and thread, loaded over REST and kept current by the live store (new
 * messages, typing, read markers, and a refetch whenever the server says the ticket changed, e.g. a
 * delivery receipt). Replies show at once as pending, then as what the API stored, with its real status.
 * Its parts live in `ticket/`.
 */
export const useTicketStore = defineStore('console-ticket', () => {
  const ticket = useTicketLoading({
    opening() {
      withdrawal.forget();
      live.setCustomerTyping(false);
    },
    closed() {
      live.setCustomerTyping(false);
    },
  });
  const live = useLiveUpdates(ticket);
  const replies = useReplies(ticket);
  const actions = useTicketActions(ticket);
  const withdrawal = useChatLinkWithdrawal(ticket);

  const optedOut = computed(
    () => ticket.detail.value?.channel === 'sms' && ticket.detail.value.customer.smsOptedOutAt !== null,
  );

  /** Signing out: nothing of this agent's work stays for the next one. */
  function reset(): void {
    ticket.close();
    replies.reset();
    actions.reset();
  }

  return {
    ticketId: ticket.ticketId,
    detail: ticket.detail,
    status: ticket.status,
    error: ticket.error,
    thread: ticket.thread,
    lastSeq: ticket.lastSeq,
    pending: replies.pending,
    customerTyping: live.customerTyping,
    updating: actions.updating,
    resending: actions.resending,
    resent: actions.resent,
    agents: actions.agents,
    withdrawing: withdrawal.withdrawing,
    withdrawError: withdrawal.withdrawError,
    optedOut,
    open: ticket.open,
    close: ticket.close,
    refresh: ticket.refresh,
    receive: live.receive,
    receiveMany: live.receiveMany,
    typingChanged: live.typingChanged,
    readChanged: live.readChanged,
    draftFor: replies.draftFor,
    setDraft: replies.setDraft,
    send: replies.send,
    retry: replies.retry,
    discard: replies.discard,
    resend: actions.resend,
    setStatus: actions.setStatus,
    assign: actions.assign,
    assignToMe: actions.assignToMe,
    loadAgents: actions.loadAgents,
    withdrawChatLinks: withdrawal.withdrawChatLinks,
    agentChanged: actions.agentChanged,
    markRead: live.markRead,
    reset,
  };
});
