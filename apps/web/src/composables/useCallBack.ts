import { type CallEventPayload, type CallOptions, type ChatMessage } from '@switchboard/contracts';
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';

import { fetchCallOptions, hangUpCall, requestCall } from '../api/calls';
import { ApiError } from '../api/http';
import {
  type BrowserCall,
  browserCallsBuilt,
  startBrowserCall,
  type VoiceClientLoader,
} from '../chat/browser-call';
import type { LoadStatus } from '../stores/load-status';

/** How often "Call us" checks whether an agent can take a call now, while the page is open. */
export const CALL_OPTIONS_REFRESH_MS = 60_000;

/**
 * "Call us" on the chat page: whether it is offered (an agent on duty; the number a call would go
 * to), the request, the call's progress, hanging up. The call's steps arrive as `call` events in the
 * thread, each of which reloads the options, so the panel follows the call live.
 */
export function useCallBack(
  conversationId: Ref<string>,
  accessToken: Ref<string | null>,
  messages: Ref<readonly ChatMessage[]>,
  /** The Client SDK's loader (a stand-in in tests); the build's own by default. */
  loadVoiceClient?: VoiceClientLoader,
) {
  const options = ref<CallOptions | null>(null);
  const status = ref<LoadStatus>('idle');
  const action = ref<'idle' | 'calling' | 'hanging-up'>('idle');
  /** What the last request or hang-up failed with, for the customer. */
  const error = ref<string | null>(null);

  const call = computed(() => options.value?.call ?? null);
  /** Whether this page can call from the browser: simulated in the sandbox, else the Client SDK if built in. */
  const canCallFromBrowser = computed(() => {
    const browser = options.value?.browser;
    return (
      browser === 'sandbox' || (browser === 'vonage' && (browserCallsBuilt || loadVoiceClient !== undefined))
    );
  });
  let browserCall: BrowserCall | null = null;
  const lastCallEvent = computed(() => {
    for (let index = messages.value.length - 1; index >= 0; index--) {
      const message = messages.value[index]!;
      if (message.payload.type === 'call') return message as ChatMessage & { payload: CallEventPayload };
    }
    return null;
  });

  let loading = 0;
  async function refresh(): Promise<void> {
    const token = accessToken.value;
    if (!token) return;
    const mine = ++loading;
    if (status.value !== 'ready') status.value = 'loading';
    try {
      const next = await fetchCallOptions(conversationId.value, token);
      if (mine !== loading) return;
      options.value = next;
      status.value = 'ready';
    } catch {
      if (mine === loading && status.value !== 'ready') status.value = 'error';
    }
  }

  async function callMe(via: 'phone' | 'browser' = 'phone'): Promise<void> {
    const token = accessToken.value;
    if (!token || action.value !== 'idle') return;
    action.value = 'calling';
    error.value = null;
    try {
      const placed = await requestCall(conversationId.value, token, via);
      if (placed.session) {
        try {
          browserCall = await startBrowserCall(
            placed.session,
            () => {
              browserCall = null;
              void refresh();
            },
            loadVoiceClient,
          );
        } catch (cause) {
          // The server's call waits for a leg that will not come: hang it up, and say why.
          await hangUpCall(conversationId.value, placed.id, token).catch(() => undefined);
          throw new ApiError({
            status: 0,
            code: 'client/browser_call_failed',
            message: `Your browser could not start the call (${cause instanceof Error ? cause.message : 'no reason given'}). Check the microphone permission, or ask us to call you back.`,
          });
        }
      }
      if (options.value)
        options.value = { ...options.value, call: placed.status === 'failed' ? null : placed };
      if (placed.status === 'failed')
        error.value = 'The call could not be placed. Please try again, or write to us here.';
      await refresh();
    } catch (cause) {
      error.value = cause instanceof ApiError ? cause.message : 'The call could not be requested.';
      await refresh();
    } finally {
      action.value = 'idle';
    }
  }

  async function hangUp(): Promise<void> {
    const token = accessToken.value;
    const current = call.value;
    if (!token || !current || action.value !== 'idle') return;
    action.value = 'hanging-up';
    error.value = null;
    try {
      await browserCall?.hangUp();
      await hangUpCall(conversationId.value, current.id, token);
    } catch (cause) {
      error.value = cause instanceof ApiError ? cause.message : 'The call could not be hung up.';
    } finally {
      action.value = 'idle';
    }
  }

  watch(
    [conversationId, accessToken],
    ([, token], previous) => {
      // A renewed session token is the same customer: no reload for that.
      if (token && (!previous || previous[0] !== conversationId.value || !previous[1])) void refresh();
    },
    { immediate: true },
  );
  watch(
    () => lastCallEvent.value?.id,
    (id, before) => {
      if (id !== undefined && id !== before) void refresh();
    },
  );
  const timer = setInterval(() => void refresh(), CALL_OPTIONS_REFRESH_MS);
  onBeforeUnmount(() => clearInterval(timer));

  return { options, status, action, error, call, canCallFromBrowser, lastCallEvent, callMe, hangUp, refresh };
}
