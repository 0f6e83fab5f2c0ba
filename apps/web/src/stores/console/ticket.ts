import {
  type AgentView,
  type ChatMessage,
  ErrorCode,
  type ReadChanged,
  type ThreadEntry,
  type TicketDetail,
  type TicketStatus,
  type TicketUpdateRequest,
  type TypingChanged,
} from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';

import type { ApiError } from '../../api/http';
import { newClientId } from '../../chat/client-id';
import {
  fetchAgents,
  fetchTicket,
  patchTicket,
  postRead,
  postReply,
  resendSms,
  withdrawChatLinks as withdrawChatLinksCall,
} from '../../api/agent-client';
import { customerName, statusLabels } from '../../console/ticket-display';
import type { LoadStatus } from '../load-status';
import { toApiError, useInboxStore } from './inbox';
import { useAgentSessionStore } from './session';
import { useToastStore } from './toasts';

/** A reply typed here that the API has not stored yet, or refused. */
export interface PendingReply {
  clientId: string;
  ticketId: string;
  body: string;
  createdAt: string;
  state: 'sending' | 'failed';
  error: string | null;
}

/** Hide the customer's typing indicator when no new signal came for this long. */
const TYPING_TIMEOUT_MS = 6_000;

/**
 * The open ticket: its detail and thread, loaded over REST and kept current by the live store (new
 * messages, typing, read markers, and a refetch whenever the server says the ticket changed, e.g. a
 * delivery receipt). Replies show at once as pending, then as what the API stored, with its real status.
 */
export const useTicketStore = defineStore('console-ticket', () => {
  const ticketId = ref<string | null>(null);
  const detail = shallowRef<TicketDetail | null>(null);
  const status = ref<LoadStatus>('idle');
  const error = shallowRef<ApiError | null>(null);
  const pending = ref<PendingReply[]>([]);
  const drafts = reactive(new Map<string, string>());
  const customerTyping = ref(false);
  const updating = ref<'status' | 'assignee' | null>(null);
  const resending = reactive(new Set<string>());
  const resent = reactive(new Set<string>());
  const agents = shallowRef<AgentView[]>([]);
  /** Withdrawing the open chat's customer's chat links: under way, and the last failure's words. */
  const withdrawing = ref(false);
  const withdrawError = ref<string | null>(null);

  const thread = computed<ThreadEntry[]>(() => detail.value?.thread ?? []);
  const lastSeq = computed(() => thread.value.at(-1)?.seq ?? 0);
  // A refetch can bring a chat reply before its own POST answers: it then shows once, as stored.
  const pendingHere = computed(() => {
    const stored = new Set(thread.value.map((entry) => entry.clientId).filter(Boolean));
    return pending.value.filter((reply) => reply.ticketId === ticketId.value && !stored.has(reply.clientId));
  });
  const optedOut = computed(
    () => detail.value?.channel === 'sms' && detail.value.customer.smsOptedOutAt !== null,
  );

  let controller: AbortController | undefined;
  let refreshing: { again: boolean } | undefined;
  /** A change announced while the first load was in flight: that load may predate it. */
  let changedWhileLoading = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  async function open(id: string): Promise<void> {
    if (ticketId.value === id && detail.value) {
      await refresh();
      return;
    }
    controller?.abort();
    const ours = (controller = new AbortController());
    ticketId.value = id;
    detail.value = null;
    error.value = null;
    status.value = 'loading';
    withdrawError.value = null;
    changedWhileLoading = false;
    setCustomerTyping(false);
    try {
      const loaded = await useAgentSessionStore().authorized((token) => fetchTicket(token, id, ours.signal));
      if (ticketId.value !== id) return;
      detail.value = loaded;
      status.value = 'ready';
      if (changedWhileLoading) void refresh();
    } catch (failure) {
      if (ticketId.value !== id || ours.signal.aborted) return;
      error.value = toApiError(failure);
      status.value = 'error';
    }
  }

  function close(): void {
    controller?.abort();
    ticketId.value = null;
    detail.value = null;
    status.value = 'idle';
    error.value = null;
    setCustomerTyping(false);
  }

  /** Refetch the open ticket (status, delivery receipts, new entries); calls during one ask for one more. */
  async function refresh(): Promise<void> {
    const id = ticketId.value;
    if (!id) return;
    if (status.value === 'loading') {
      changedWhileLoading = true;
      return;
    }
    if (refreshing) {
      refreshing.again = true;
      return;
    }
    const state = (refreshing = { again: false });
    try {
      do {
        state.again = false;
        try {
          const loaded = await useAgentSessionStore().authorized((token) => fetchTicket(token, id));
          if (ticketId.value !== id) return;
          detail.value = withEntries(
            loaded,
            thread.value.filter((entry) => entry.seq > lastSeqOf(loaded)),
          );
          if (status.value === 'error') status.value = 'ready';
          error.value = null;
        } catch (failure) {
          if (ticketId.value !== id) return;
          if (!detail.value) {
            error.value = toApiError(failure);
            status.value = 'error';
          }
          return;
        }
      } while (state.again);
    } finally {
      refreshing = undefined;
    }
  }

  /** A message pushed over the socket (any ticket's: the agent's socket stays in rooms it joined). */
  function receive(message: ChatMessage): void {
    if (message.conversationId !== ticketId.value || !detail.value) return;
    const gap = message.seq > lastSeq.value + 1;
    merge([
      toEntry(
        message,
        thread.value.find((entry) => entry.id === message.id),
      ),
    ]);
    if (message.author.role === 'customer') setCustomerTyping(false);
    // A skipped seq means something arrived that we did not hear about: fetch the truth.
    if (gap) void refresh();
  }

  function receiveMany(messages: ChatMessage[]): void {
    if (!detail.value) return;
    const here = messages.filter((message) => message.conversationId === ticketId.value);
    merge(
      here.map((message) =>
        toEntry(
          message,
          thread.value.find((entry) => entry.id === message.id),
        ),
      ),
    );
  }

  function merge(entries: ThreadEntry[]): void {
    if (!detail.value || entries.length === 0) return;
    detail.value = withEntries(detail.value, entries);
  }

  function typingChanged(change: TypingChanged): void {
    if (change.conversationId === ticketId.value && change.role === 'customer')
      setCustomerTyping(change.typing);
  }

  function readChanged(change: ReadChanged): void {
    const current = detail.value;
    if (!current || change.conversationId !== current.id) return;
    const read = { ...current.read, [change.role]: Math.max(current.read[change.role], change.seq) };
    detail.value = { ...current, read };
  }

  function setCustomerTyping(typing: boolean): void {
    clearTimeout(typingTimer);
    customerTyping.value = typing;
    if (typing) typingTimer = setTimeout(() => (customerTyping.value = false), TYPING_TIMEOUT_MS);
  }

  function draftFor(id: string): string {
    return drafts.get(id) ?? '';
  }

  function setDraft(id: string, text: string): void {
    if (text === '') drafts.delete(id);
    else drafts.set(id, text);
  }

  /** Shows the reply at once, then swaps it for the stored entry (SMS: `queued`, then ticks follow). */
  async function send(body: string): Promise<void> {
    const id = ticketId.value;
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
    updatePending(clientId, { state: 'sending', error: null });
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
      if (ticketId.value === reply.ticketId) merge([entry]);
    } catch (failure) {
      const problem = toApiError(failure);
      updatePending(reply.clientId, { state: 'failed', error: replyProblem(problem) });
      // Opted out since the ticket was loaded: the banner and the disabled composer follow.
      if (problem.code === ErrorCode.SmsRecipientOptedOut && ticketId.value === reply.ticketId)
        void refresh();
    }
  }

  function updatePending(clientId: string, change: Partial<PendingReply>): void {
    pending.value = pending.value.map((reply) =>
      reply.clientId === clientId ? { ...reply, ...change } : reply,
    );
  }

  /** A real resend: the API queues a new SMS with the failed one's text. */
  async function resend(messageId: string): Promise<void> {
    const id = ticketId.value;
    if (!id || resending.has(messageId)) return;
    resending.add(messageId);
    try {
      const entry = await useAgentSessionStore().authorized((token) => resendSms(token, id, messageId));
      resent.add(messageId);
      if (ticketId.value === id) merge([entry]);
    } catch (failure) {
      useToastStore().show({
        tone: 'error',
        title: 'The SMS was not resent',
        body: toApiError(failure).message,
      });
    } finally {
      resending.delete(messageId);
    }
  }

  async function setStatus(next: TicketStatus): Promise<void> {
    const verb =
      next === 'resolved' ? 'resolve' : next === 'open' ? 'reopen' : `set to ${statusLabels[next]}`;
    await update({ status: next }, 'status', `Could not ${verb} the ticket`);
  }

  async function assign(agentId: string | null): Promise<void> {
    await update(
      { assigneeId: agentId },
      'assignee',
      agentId ? 'Could not assign the ticket' : 'Could not unassign the ticket',
    );
  }

  async function assignToMe(): Promise<void> {
    const me = useAgentSessionStore().agent;
    if (me) await assign(me.id);
  }

  async function update(
    change: TicketUpdateRequest,
    what: 'status' | 'assignee',
    problem: string,
  ): Promise<void> {
    const id = ticketId.value;
    if (!id || updating.value) return;
    updating.value = what;
    try {
      const updated = await useAgentSessionStore().authorized((token) => patchTicket(token, id, change));
      if (ticketId.value === id) detail.value = withEntries(updated, []);
    } catch (failure) {
      const refused = toApiError(failure);
      useToastStore().show({
        tone: 'error',
        title: problem,
        body: refused.fieldError('assigneeId') ?? refused.message,
      });
      // E.g. the agent was disabled meanwhile: the menu should stop offering them.
      if (refused.fieldError('assigneeId')) agents.value = [];
    } finally {
      updating.value = null;
    }
  }

  /**
   * Withdraws every chat link sent to the open chat's customer (an order email reached the wrong
   * person): their links stop working and their open chat ends. True when done.
   */
  async function withdrawChatLinks(): Promise<boolean> {
    const current = detail.value;
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

  async function loadAgents(): Promise<void> {
    if (agents.value.length > 0) return;
    try {
      agents.value = await useAgentSessionStore().authorized((token) => fetchAgents(token));
    } catch {
      // The menu still offers "Assign to me" and "Unassign".
    }
  }

  /** An agent was disabled or enabled (the team page): the assignee menu follows without a reload. */
  function agentChanged(changed: AgentView): void {
    if (agents.value.some((agent) => agent.id === changed.id))
      agents.value = agents.value.map((agent) => (agent.id === changed.id ? changed : agent));
  }

  /** The agent has seen everything up to the last entry: move the agents' read marker. */
  async function markRead(): Promise<void> {
    const current = detail.value;
    if (!current) return;
    const seq = lastSeqOf(current);
    if (seq <= current.read.agent) return;
    detail.value = { ...current, read: { ...current.read, agent: seq } };
    useInboxStore().markedRead(current.id);
    try {
      await useAgentSessionStore().authorized((token) => postRead(token, current.id, seq));
    } catch {
      // Harmless: the badge comes back with the next refresh, and the next look marks it again.
    }
  }

  function reset(): void {
    close();
    pending.value = [];
    drafts.clear();
    agents.value = [];
  }

  return {
    ticketId,
    detail,
    status,
    error,
    thread,
    lastSeq,
    pending: pendingHere,
    customerTyping,
    updating,
    resending,
    resent,
    agents,
    withdrawing,
    withdrawError,
    optedOut,
    open,
    close,
    refresh,
    receive,
    receiveMany,
    typingChanged,
    readChanged,
    draftFor,
    setDraft,
    send,
    retry,
    discard,
    resend,
    setStatus,
    assign,
    assignToMe,
    loadAgents,
    withdrawChatLinks,
    agentChanged,
    markRead,
    reset,
  };
});

function lastSeqOf(ticket: TicketDetail): number {
  return ticket.thread.at(-1)?.seq ?? 0;
}

/** The ticket with `entries` added or updated, in `seq` order, each entry once. */
function withEntries(ticket: TicketDetail, entries: ThreadEntry[]): TicketDetail {
  if (entries.length === 0) return ticket;
  const byId = new Map(ticket.thread.map((entry) => [entry.id, entry]));
  for (const entry of entries) byId.set(entry.id, { ...byId.get(entry.id), ...entry });
  const thread = [...byId.values()].sort((a, b) => a.seq - b.seq);
  const last = thread.at(-1);
  const lastText = [...thread].reverse().find((entry) => entry.kind === 'text');
  return {
    ...ticket,
    thread,
    lastMessage: lastText
      ? { body: lastText.body, direction: lastText.direction, createdAt: lastText.createdAt }
      : ticket.lastMessage,
    lastActivityAt: last && last.createdAt > ticket.lastActivityAt ? last.createdAt : ticket.lastActivityAt,
  };
}

/** A socket message as a thread entry; the next refetch brings the fields the socket does not carry. */
function toEntry(message: ChatMessage, known: ThreadEntry | undefined): ThreadEntry {
  const partial = message as ChatMessage & Partial<Pick<ThreadEntry, 'direction' | 'status' | 'error'>>;
  return {
    ...message,
    direction: partial.direction ?? known?.direction ?? (message.author.role === 'customer' ? 'in' : 'out'),
    status: partial.status ?? known?.status ?? null,
    error: partial.error ?? known?.error ?? null,
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
