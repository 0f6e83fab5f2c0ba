import type { AgentAvailability, AvailabilityUpdate } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';

import type { ApiError } from '../../api/http';
import {
  confirmMobile,
  fetchAvailability,
  patchAvailability,
  removeMobile,
  requestMobileCode,
} from '../../api/agent-client';
import type { LoadStatus } from '../load-status';
import { toApiError } from './inbox';
import { useAgentSessionStore } from './session';

/** What is on its way to the API, one at a time. */
export type AvailabilityAction = 'duty' | 'quiet' | 'code' | 'confirm' | 'remove';

/**
 * The signed-in agent's availability for SMS alerts: on duty or not (also in the header), the mobile
 * the alerts go to (confirmed with a code sent to it), quiet hours.
 */
export const useAvailabilityStore = defineStore('console-availability', () => {
  const status = ref<LoadStatus>('idle');
  const availability = shallowRef<AgentAvailability | null>(null);
  const loadError = shallowRef<ApiError | null>(null);
  const busy = ref<AvailabilityAction | null>(null);
  /** Why the last action failed, and which one. */
  const problem = shallowRef<{ action: AvailabilityAction; error: ApiError } | null>(null);

  async function load(): Promise<void> {
    if (status.value !== 'ready') status.value = 'loading';
    loadError.value = null;
    try {
      availability.value = await useAgentSessionStore().authorized((token) => fetchAvailability(token));
      status.value = 'ready';
    } catch (failure) {
      loadError.value = toApiError(failure);
      if (status.value !== 'ready') status.value = 'error';
    }
  }

  async function run(
    action: AvailabilityAction,
    call: (token: string) => Promise<AgentAvailability>,
  ): Promise<boolean> {
    if (busy.value) return false;
    busy.value = action;
    problem.value = null;
    try {
      availability.value = await useAgentSessionStore().authorized(call);
      status.value = 'ready';
      return true;
    } catch (failure) {
      problem.value = { action, error: toApiError(failure) };
      return false;
    } finally {
      busy.value = null;
    }
  }

  const setOnDuty = (onDuty: boolean) => run('duty', (token) => patchAvailability(token, { onDuty }));
  const setQuietHours = (quietHours: AvailabilityUpdate['quietHours']) =>
    run('quiet', (token) => patchAvailability(token, { quietHours }));
  const sendCode = (mobile: string) => run('code', (token) => requestMobileCode(token, mobile));
  const confirm = (code: string) => run('confirm', (token) => confirmMobile(token, code));
  const remove = () => run('remove', (token) => removeMobile(token));

  function reset(): void {
    status.value = 'idle';
    availability.value = null;
    problem.value = null;
  }

  return {
    status,
    availability,
    loadError,
    busy,
    problem,
    load,
    setOnDuty,
    setQuietHours,
    sendCode,
    confirm,
    remove,
    reset,
  };
});
