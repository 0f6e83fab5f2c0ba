import type { ThreadEntry, TicketDetail } from '@switchboard/contracts';
import { computed, ref, shallowRef } from 'vue';

import { fetchTicket } from '../../../api/agent-client';
import type { ApiError } from '../../../api/http';
import type { LoadStatus } from '../../load-status';
import { toApiError } from '../inbox';
import { useAgentSessionStore } from '../session';
import { lastSeqOf, withEntries } from './ticket-thread';

/**
 * The open ticket's detail and thread over REST: the first load (a newer `open` cancels it) and the
 * refetch whenever something says the ticket changed, with what arrived live since kept in.
 */
export function useTicketLoading(hooks: {
  /** Another ticket is being opened: what was shown about the last one goes. */
  opening(): void;
  closed(): void;
}) {
  const ticketId = ref<string | null>(null);
  const detail = shallowRef<TicketDetail | null>(null);
  const status = ref<LoadStatus>('idle');
  const error = shallowRef<ApiError | null>(null);
  const thread = computed<ThreadEntry[]>(() => detail.value?.thread ?? []);
  const lastSeq = computed(() => thread.value.at(-1)?.seq ?? 0);

  let controller: AbortController | undefined;
  let refreshing: { again: boolean } | undefined;
  /** A change announced while the first load was in flight: that load may predate it. */
  let changedWhileLoading = false;

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
    changedWhileLoading = false;
    hooks.opening();
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
    hooks.closed();
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

  /** Adds or updates entries of the open ticket's thread. */
  function merge(entries: ThreadEntry[]): void {
    if (!detail.value || entries.length === 0) return;
    detail.value = withEntries(detail.value, entries);
  }

  return { ticketId, detail, status, error, thread, lastSeq, open, close, refresh, merge };
}

export type TicketLoading = ReturnType<typeof useTicketLoading>;
