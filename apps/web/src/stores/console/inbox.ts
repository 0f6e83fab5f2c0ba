import type { TicketSummary } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';

import { ApiError } from '../../api/http';
import { fetchTickets, type TicketQuery } from '../../api/agent-client';
import type { LoadStatus } from '../load-status';
import { useAgentSessionStore } from './session';

export type InboxFilters = Omit<TicketQuery, 'cursor' | 'ticket' | 'pageSize'>;

/** Unresolved (open and pending) by default: chats waiting for the customer's first word are work too. */
export const DEFAULT_FILTERS: Readonly<InboxFilters> = {
  status: 'unresolved',
  channel: 'all',
  assignee: 'anyone',
  q: '',
};

const PAGE_SIZE = 50;
/** With a text search on, changes refetch the whole list, at most this often. */
const RELOAD_DEBOUNCE_MS = 400;

/**
 * The inbox list: the pages of tickets loaded so far for the current filters, newest activity first,
 * kept live. Pages follow the server's cursor, so none repeats or skips a ticket while tickets move. A
 * change pushed for one ticket refetches that ticket with the same filters, so it appears, moves to the
 * top, or leaves the list exactly as a reload would show it.
 */
export const useInboxStore = defineStore('console-inbox', () => {
  const filters = reactive<InboxFilters>({ ...DEFAULT_FILTERS });
  const items = ref<TicketSummary[]>([]);
  const total = ref(0);
  /** False when the server stopped counting ("1,000+"). */
  const totalExact = ref(true);
  const nextCursor = ref<string | null>(null);
  const status = ref<LoadStatus>('idle');
  const error = shallowRef<ApiError | null>(null);
  const loadingMore = ref(false);
  const hasMore = computed(() => nextCursor.value !== null);
  const unreadTickets = computed(() => items.value.filter((ticket) => ticket.unread > 0).length);
  const filtered = computed(
    () =>
      filters.status !== DEFAULT_FILTERS.status ||
      filters.channel !== DEFAULT_FILTERS.channel ||
      filters.assignee !== DEFAULT_FILTERS.assignee ||
      filters.q.trim() !== '',
  );

  let generation = 0;
  let controller: AbortController | undefined;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const lookups = new Map<string, { again: boolean }>();

  /** The first page for the current filters; the list stays on screen while it reloads. */
  async function load(): Promise<void> {
    controller?.abort();
    const ours = (controller = new AbortController());
    const session = useAgentSessionStore();
    const current = ++generation;
    status.value = 'loading';
    error.value = null;
    try {
      const page = await session.authorized((token) =>
        fetchTickets(token, { ...filters, pageSize: PAGE_SIZE }, ours.signal),
      );
      if (current !== generation) return;
      items.value = page.items;
      total.value = page.total;
      totalExact.value = page.totalExact;
      nextCursor.value = page.nextCursor;
      status.value = 'ready';
    } catch (failure) {
      if (current !== generation || ours.signal.aborted) return;
      error.value = toApiError(failure);
      status.value = 'error';
    }
  }

  async function loadMore(): Promise<void> {
    const cursor = nextCursor.value;
    if (loadingMore.value || cursor === null) return;
    const session = useAgentSessionStore();
    const current = generation;
    loadingMore.value = true;
    try {
      const page = await session.authorized((token) =>
        fetchTickets(token, { ...filters, cursor, pageSize: PAGE_SIZE }),
      );
      if (current !== generation) return;
      // A ticket already listed can come again only if it moved while this page loaded: keep one.
      const known = new Set(items.value.map((ticket) => ticket.id));
      items.value = [...items.value, ...page.items.filter((ticket) => !known.has(ticket.id))];
      total.value = page.total;
      totalExact.value = page.totalExact;
      nextCursor.value = page.nextCursor;
    } catch (failure) {
      error.value = toApiError(failure);
    } finally {
      loadingMore.value = false;
    }
  }

  function setFilters(change: Partial<InboxFilters>): void {
    Object.assign(filters, change);
    void load();
  }

  function resetFilters(): void {
    setFilters({ ...DEFAULT_FILTERS });
  }

  /** Something happened to one ticket (pushed over the socket): show it as the server now sees it. */
  async function ticketChanged(ticketId: string): Promise<void> {
    if (status.value === 'idle') return;
    if (filters.q.trim() !== '') {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => void load(), RELOAD_DEBOUNCE_MS);
      return;
    }
    // One lookup per ticket at a time; changes during it ask for one more afterwards.
    const running = lookups.get(ticketId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    lookups.set(ticketId, state);
    try {
      do {
        state.again = false;
        await lookUp(ticketId);
      } while (state.again);
    } finally {
      lookups.delete(ticketId);
    }
  }

  async function lookUp(ticketId: string): Promise<void> {
    const session = useAgentSessionStore();
    const current = generation;
    let found: TicketSummary | undefined;
    try {
      const page = await session.authorized((token) =>
        fetchTickets(token, { ...filters, ticket: ticketId, pageSize: 1 }),
      );
      found = page.items.find((ticket) => ticket.id === ticketId);
    } catch {
      return; // the next change or reconnect brings it; the list stays as it was
    }
    if (current !== generation) return;
    const without = items.value.filter((ticket) => ticket.id !== ticketId);
    const wasListed = without.length !== items.value.length;
    if (!found) {
      if (wasListed) {
        items.value = without;
        adjustTotal(-1);
      }
      return;
    }
    const index = without.findIndex((ticket) => newerFirst(found!, ticket) < 0);
    // Beyond the loaded pages it belongs to a page not fetched yet.
    if (index === -1 && nextCursor.value !== null) {
      items.value = without;
      if (!wasListed) adjustTotal(1);
      return;
    }
    const at = index === -1 ? without.length : index;
    items.value = [...without.slice(0, at), found, ...without.slice(at)];
    if (!wasListed) adjustTotal(1);
  }

  /** A count the server stopped ("1,000+") stays as it was: one ticket more or less says nothing. */
  function adjustTotal(delta: number): void {
    if (totalExact.value) total.value = Math.max(0, total.value + delta);
  }

  /** The agent read a ticket: its badge goes at once, before the server confirms. */
  function markedRead(ticketId: string): void {
    items.value = items.value.map((ticket) =>
      ticket.id === ticketId && ticket.unread > 0 ? { ...ticket, unread: 0 } : ticket,
    );
  }

  function reset(): void {
    controller?.abort();
    clearTimeout(reloadTimer);
    generation += 1;
    Object.assign(filters, DEFAULT_FILTERS);
    items.value = [];
    total.value = 0;
    totalExact.value = true;
    nextCursor.value = null;
    status.value = 'idle';
    error.value = null;
  }

  return {
    filters,
    items,
    total,
    totalExact,
    status,
    error,
    loadingMore,
    hasMore,
    unreadTickets,
    filtered,
    load,
    loadMore,
    setFilters,
    resetFilters,
    ticketChanged,
    markedRead,
    reset,
  };
});

function newerFirst(a: TicketSummary, b: TicketSummary): number {
  if (a.lastActivityAt !== b.lastActivityAt) return a.lastActivityAt > b.lastActivityAt ? -1 : 1;
  return Number(b.id) - Number(a.id);
}

export function toApiError(failure: unknown): ApiError {
  if (failure instanceof ApiError) return failure;
  return new ApiError({
    status: 0,
    code: 'client/unknown',
    message: (failure as Error)?.message ?? String(failure),
    cause: failure,
  });
}
