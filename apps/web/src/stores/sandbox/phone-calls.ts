import type { SandboxCall } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

import { ApiError } from '../../api/http';
import { fetchPhoneCalls, pressCallButton } from '../../api/sandbox';
import { withSandboxAccess } from './sandbox-access';

export const CALLS_POLL_MS = 1_000;

/**
 * The simulated phone's calls: what rings on its number (a call back from support, or a customer's
 * call connected to this agent's phone), polled while the page is on screen, and its buttons.
 */
export const usePhoneCallsStore = defineStore('sandbox-phone-calls', () => {
  const number = ref<string | null>(null);
  const calls = ref<SandboxCall[]>([]);
  /** The button being pressed, and the last press's failure. */
  const pressing = ref<{ callId: string; button: 'answer' | 'decline' | 'hang-up' } | null>(null);
  const error = ref<string | null>(null);

  /** The call on screen: the one ringing or answered, else the one that just ended. */
  const current = computed(
    () =>
      calls.value.find((call) => call.status === 'ringing' || call.status === 'answered') ??
      calls.value[0] ??
      null,
  );

  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function refresh(): Promise<void> {
    const watched = number.value;
    if (!watched) return;
    try {
      const next = await withSandboxAccess((auth) => fetchPhoneCalls(watched, auth));
      if (watched === number.value) calls.value = next;
    } catch {
      // The calls are extra: the SMS conversation says when the server cannot be reached.
    }
  }

  function watchNumber(next: string | null): void {
    stop();
    if (next !== number.value) {
      calls.value = [];
      error.value = null;
    }
    number.value = next;
    if (!next) return;
    const mine = ++generation;
    const tick = async () => {
      if (mine !== generation) return;
      await refresh();
      if (mine === generation) timer = setTimeout(tick, CALLS_POLL_MS);
    };
    void tick();
  }

  function stop(): void {
    generation += 1;
    clearTimeout(timer);
  }

  async function press(callId: string, button: 'answer' | 'decline' | 'hang-up'): Promise<void> {
    if (pressing.value) return;
    pressing.value = { callId, button };
    error.value = null;
    try {
      await withSandboxAccess((auth) => pressCallButton(callId, button, auth));
    } catch (cause) {
      error.value = cause instanceof ApiError ? cause.message : 'The phone could not do that.';
    } finally {
      pressing.value = null;
      await refresh();
    }
  }

  return { number, calls, current, pressing, error, watchNumber, stop, refresh, press };
});
