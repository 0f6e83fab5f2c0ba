import type { ChatMessage, ReadChanged, TypingChanged } from '@switchboard/contracts';
import { ref } from 'vue';

import { postRead } from '../../../api/agent-client';
import { useInboxStore } from '../inbox';
import { useAgentSessionStore } from '../session';
import { lastSeqOf, toEntry } from './ticket-thread';
import type { TicketLoading } from './useTicketLoading';

/** Hide the customer's typing indicator when no new signal came for this long. */
const TYPING_TIMEOUT_MS = 6_000;

/**
 * What the live store hears about the open ticket: messages (merged by id; a skipped `seq` refetches),
 * the customer typing, and read markers both ways (the agents' moves when the agent has looked).
 */
export function useLiveUpdates(ticket: TicketLoading) {
  const customerTyping = ref(false);
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  /** A message pushed over the socket (any ticket's: the agent's socket stays in rooms it joined). */
  function receive(message: ChatMessage): void {
    if (message.conversationId !== ticket.ticketId.value || !ticket.detail.value) return;
    const gap = message.seq > ticket.lastSeq.value + 1;
    ticket.merge([toEntry(message, known(message))]);
    if (message.author.role === 'customer') setCustomerTyping(false);
    // A skipped seq means something arrived that we did not hear about: fetch the truth.
    if (gap) void ticket.refresh();
  }

  function receiveMany(messages: ChatMessage[]): void {
    if (!ticket.detail.value) return;
    const here = messages.filter((message) => message.conversationId === ticket.ticketId.value);
    ticket.merge(here.map((message) => toEntry(message, known(message))));
  }

  function known(message: ChatMessage) {
    return ticket.thread.value.find((entry) => entry.id === message.id);
  }

  function typingChanged(change: TypingChanged): void {
    if (change.conversationId === ticket.ticketId.value && change.role === 'customer')
      setCustomerTyping(change.typing);
  }

  function setCustomerTyping(typing: boolean): void {
    clearTimeout(typingTimer);
    customerTyping.value = typing;
    if (typing) typingTimer = setTimeout(() => (customerTyping.value = false), TYPING_TIMEOUT_MS);
  }

  function readChanged(change: ReadChanged): void {
    const current = ticket.detail.value;
    if (!current || change.conversationId !== current.id) return;
    const read = { ...current.read, [change.role]: Math.max(current.read[change.role], change.seq) };
    ticket.detail.value = { ...current, read };
  }

  /** The agent has seen everything up to the last entry: move the agents' read marker. */
  async function markRead(): Promise<void> {
    const current = ticket.detail.value;
    if (!current) return;
    const seq = lastSeqOf(current);
    if (seq <= current.read.agent) return;
    ticket.detail.value = { ...current, read: { ...current.read, agent: seq } };
    useInboxStore().markedRead(current.id);
    try {
      await useAgentSessionStore().authorized((token) => postRead(token, current.id, seq));
    } catch {
      // Harmless: the badge comes back with the next refresh, and the next look marks it again.
    }
  }

  return { customerTyping, receive, receiveMany, typingChanged, readChanged, markRead, setCustomerTyping };
}
