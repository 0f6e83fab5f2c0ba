import type { ChatMessage, ThreadEntry, TicketDetail } from '@switchboard/contracts';

export function lastSeqOf(ticket: TicketDetail): number {
  return ticket.thread.at(-1)?.seq ?? 0;
}

/** The ticket with `entries` added or updated, in `seq` order, each entry once. */
export function withEntries(ticket: TicketDetail, entries: ThreadEntry[]): TicketDetail {
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
export function toEntry(message: ChatMessage, known: ThreadEntry | undefined): ThreadEntry {
  const partial = message as ChatMessage &
    Partial<Pick<ThreadEntry, 'direction' | 'status' | 'error' | 'internal'>>;
  return {
    ...message,
    direction: partial.direction ?? known?.direction ?? (message.author.role === 'customer' ? 'in' : 'out'),
    status: partial.status ?? known?.status ?? null,
    error: partial.error ?? known?.error ?? null,
    internal: partial.internal ?? known?.internal ?? false,
  };
}
