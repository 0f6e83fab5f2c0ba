import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

import { ApiError, ClientErrorCode } from '../../api/http';
import { fetchMailbox, type MailboxEmail } from '../../api/sandbox';
import type { LoadStatus } from '../load-status';
import { withSandboxAccess } from './sandbox-access';

/** How often the mailbox looks for new email while on screen; slower while the server is away. */
export const MAILBOX_POLL_MS = 3_000;
export const MAILBOX_POLL_AFTER_ERROR_MS = 10_000;

/** The sandbox mailbox: every email the sandbox provider "sent", newest first, polled while on screen. */
export const useMailboxStore = defineStore('sandbox-mailbox', () => {
  const status = ref<LoadStatus>('idle');
  const emails = ref<MailboxEmail[]>([]);
  /** The last load's failure: the page's error before anything loaded, a banner after. */
  const error = ref<ApiError | null>(null);
  const refreshing = ref(false);
  const updatedAt = ref<string | null>(null);
  /** Ids that arrived since the page opened, to mark them new. */
  const fresh = ref<Set<string>>(new Set());

  const byId = computed(() => new Map(emails.value.map((email) => [email.id, email])));

  let loading: Promise<void> | null = null;
  let pollGeneration = 0;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  /** Loads the mailbox; calls made while one is in flight share it. Never rejects. */
  function refresh(): Promise<void> {
    if (loading) return loading;
    refreshing.value = true;
    if (status.value !== 'ready') status.value = 'loading';
    loading = withSandboxAccess((auth) => fetchMailbox(auth))
      .then(
        (next) => {
          if (status.value === 'ready') {
            const known = byId.value;
            const arrived = next.filter((email) => !known.has(email.id)).map((email) => email.id);
            if (arrived.length > 0) fresh.value = new Set([...fresh.value, ...arrived]);
          }
          emails.value = next;
          status.value = 'ready';
          error.value = null;
          updatedAt.value = new Date().toISOString();
        },
        (cause: unknown) => {
          error.value =
            cause instanceof ApiError
              ? cause
              : new ApiError({ status: 0, code: ClientErrorCode.UnexpectedResponse, message: String(cause) });
          if (status.value !== 'ready') status.value = 'error';
        },
      )
      .finally(() => {
        loading = null;
        refreshing.value = false;
      });
    return loading;
  }

  function startPolling(): void {
    stopPolling();
    const generation = ++pollGeneration;
    const tick = async () => {
      if (generation !== pollGeneration) return;
      await refresh();
      if (generation !== pollGeneration) return;
      pollTimer = setTimeout(tick, error.value ? MAILBOX_POLL_AFTER_ERROR_MS : MAILBOX_POLL_MS);
    };
    void tick();
  }

  function stopPolling(): void {
    pollGeneration += 1;
    clearTimeout(pollTimer);
    pollTimer = undefined;
  }

  function markRead(id: string): void {
    if (!fresh.value.has(id)) return;
    const next = new Set(fresh.value);
    next.delete(id);
    fresh.value = next;
  }

  return {
    status,
    emails,
    error,
    refreshing,
    updatedAt,
    fresh,
    byId,
    refresh,
    startPolling,
    stopPolling,
    markRead,
  };
});
