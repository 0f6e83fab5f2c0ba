import type { SiteInfo } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { ref } from 'vue';

import { ApiError, ClientErrorCode } from '../api/http';
import { fetchSiteInfo } from '../api/site';
import type { LoadStatus } from './load-status';

export const useSiteStore = defineStore('site', () => {
  const status = ref<LoadStatus>('idle');
  const site = ref<SiteInfo | null>(null);
  const error = ref<ApiError | null>(null);
  let inFlight: Promise<void> | null = null;

  /** Fetches `GET /api/site`; calls made while one is in flight share it. Never rejects. */
  function load(): Promise<void> {
    if (inFlight) return inFlight;
    status.value = 'loading';
    error.value = null;
    inFlight = fetchSiteInfo()
      .then(
        (info) => {
          site.value = info;
          status.value = 'ready';
        },
        (cause: unknown) => {
          error.value = cause instanceof ApiError ? cause : unexpected(cause);
          status.value = 'error';
        },
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  /** Loads once per page life; later visits to a page reuse what is here. */
  function ensureLoaded(): Promise<void> {
    return status.value === 'idle' ? load() : (inFlight ?? Promise.resolve());
  }

  return { status, site, error, load, ensureLoaded };
});

function unexpected(cause: unknown): ApiError {
  return new ApiError({
    status: 0,
    code: ClientErrorCode.UnexpectedResponse,
    message: cause instanceof Error ? cause.message : String(cause),
    cause,
  });
}
