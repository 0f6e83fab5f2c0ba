import { ErrorCode } from '@switchboard/contracts';
import { computed, reactive, ref } from 'vue';

import { postReply } from '../../../api/agent-client';
import type { ApiError } from '../../../api/http';
import { newClientId } from '../../../chat/client-id';
import { toApiError } from '../inbox';
import { useAgentSessionStore } from '../session';
import type { TicketLoading } from './useTicketLoading';

/** A reply typed here that the API has not stored yet, or refused. */
export interface PendingReply {
  clientId: string;
  ticketId: string;
  body: string;
  createdAt: string;
  state: 'sending' | 'failed';
  error: string | null;
}

/**
 * Replies and drafts, per ticket: a reply shows at once as pending, then as what the API stored (SMS:
 * `queued`, then ticks follow); a refused one keeps its text to try again with the same client id.
 */
export function useReplies(ticket: TicketLoading) {
  const pending = ref<PendingReply[]>([]);
  const drafts = reactive(new Map<string, string>());
  // A refetch can bring a chat reply before its own POST answers: it then shows once, as stored.
  const pendingHere = computed(() => {
    const stored = new Set(ticket.thread.value.map((entry) => entry.clientId).filter(Boolean));
    return pending.value.filter(
      (reply) => reply.ticketId === ticket.ticketId.value && !stored.has(reply.clientId),
    );
  });

  function draftFor(id: string): string {
    return drafts.get(id) ?? '';
  }

  function setDraft(id: string, text: string): void {
    if (text === '') drafts.delete(id);
    else drafts.set(id, text);
  }

  /** Shows the reply at once, then swaps it for the stored entry. */
  async function send(body: string): Promise<void> {
    const id = ticket.ticketId.value;
    if (!id || body.trim() === '') return;
    const reply: PendingReply = {
      clientId: newClientId(),
      ticketId: id,
      body,
      createdAt: new Date().toISOString(),
      state: 'sending',
      error: null,
    };
    pending.value = [...pending.value, reply];
    setDraft(id, '');
    await deliver(reply);
  }

  /** Tries a refused or unanswered reply again, with the same client id (a chat never stores it twice). */
  async function retry(clientId: string): Promise<void> {
    const reply = pending.value.find((candidate) => candidate.clientId === clientId);
    if (!reply || reply.state === 'sending') return;
    update(clientId, { state: 'sending', error: null });
    await deliver(reply);
  }

  /** Drops a failed reply, putting its text back in the composer when that is empty. */
  function discard(clientId: string): void {
    const reply = pending.value.find((candidate) => candidate.clientId === clientId);
    if (!reply) return;
    pending.value = pending.value.filter((candidate) => candidate.clientId !== clientId);
    if (draftFor(reply.ticketId) === '') setDraft(reply.ticketId, reply.body);
  }

  async function deliver(reply: PendingReply): Promise<void> {
    try {
      const entry = await useAgentSessionStore().authorized((token) =>
        postReply(token, reply.ticketId, { body: reply.body, clientId: reply.clientId }),
      );
      pending.value = pending.value.filter((candidate) => candidate.clientId !== reply.clientId);
      if (ticket.ticketId.value === reply.ticketId) ticket.merge([entry]);
    } catch (failure) {
      const problem = toApiError(failure);
      update(reply.clientId, { state: 'failed', error: replyProblem(problem) });
      // Opted out since the ticket was loaded: the banner and the disabled composer follow.
      if (problem.code === ErrorCode.SmsRecipientOptedOut && ticket.ticketId.value === reply.ticketId)
        void ticket.refresh();
    }
  }

  function update(clientId: string, change: Partial<PendingReply>): void {
    pending.value = pending.value.map((reply) =>
      reply.clientId === clientId ? { ...reply, ...change } : reply,
    );
  }

  return {
    pending: pendingHere,
    draftFor,
    setDraft,
    send,
    retry,
    discard,
    reset(): void {
      pending.value = [];
      drafts.clear();
    },
  };
}

function replyProblem(problem: ApiError): string {
  switch (problem.code) {
    case ErrorCode.SmsRecipientOptedOut:
      return 'Not sent: the customer opted out of SMS.';
    case ErrorCode.ChatMessageTooLong:
      return problem.message;
    default:
      return problem.status === 0 ? 'Not sent: no connection to the server.' : `Not sent: ${problem.message}`;
  }
}
