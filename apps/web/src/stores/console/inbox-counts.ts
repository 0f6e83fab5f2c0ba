import type { InboxCount, InboxCounts } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';

import { fetchInboxCounts } from '../../api/agent-client';
import { useAgentSessionStore } from './session';

/** Changes on a busy desk come many a second: the counts follow at most this often. */
const REFRESH_DELAY_MS = 1_000;

/**
 * How many unresolved tickets each view holds (all, mine, unassigned, unread), as the server counts
 * them over the whole desk, not the pages loaded. Kept live: every change pushed to the inbox asks
 * for a refresh, coalesced; a failed refresh keeps the last counts (the next change retries).
 */
export const useInboxCountsStore = defineStore('console-inbox-counts', () => {
  const counts = shallowRef<InboxCounts | null>(null);
  const failed = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  async function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          counts.value = await useAgentSessionStore().authorized((token) => fetchInboxCounts(token));
          failed.value = false;
        } catch {
          failed.value = true;
        }
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
  }

  /** Something changed in the inbox: refresh soon, once for a burst of changes. */
  function changed(): void {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void refresh();
    }, REFRESH_DELAY_MS);
  }

  function reset(): void {
    clearTimeout(timer);
    timer = undefined;
    counts.value = null;
    failed.value = false;
  }

  return { counts, failed, refresh, changed, reset };
});

/** "12", "1,000+": a count as the console shows it. */
export function countLabel(count: Pick<InboxCount, 'count' | 'exact'>): string {
  return `${count.count.toLocaleString('en-GB')}${count.exact ? '' : '+'}`;
}
