import type { SandboxPhoneConversation } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

import { ApiError, ClientErrorCode } from '../../api/http';
import { fetchPhoneConversation, postInboundSms, signWebhook } from '../../api/sandbox';
import type { LoadStatus } from '../load-status';
import { withSandboxAccess } from './sandbox-access';
import { inboundSmsParams, type InboundSmsParams } from './inbound-webhook';
import { toE164 } from './phone-numbers';

/** The last number the simulator texted from, so a reload picks the same phone. */
export const SAVED_NUMBER_KEY = 'switchboard.sandbox.phone';
/** How often the phone looks for new SMS while the page is on screen; slower while the server is away. */
export const POLL_MS = 1_000;
export const POLL_AFTER_ERROR_MS = 4_000;

/** A text typed on the simulator: on its way through the webhook, refused, or stored (until the next load shows it). */
export interface OutgoingText {
  localId: string;
  text: string;
  createdAt: string;
  state: 'sending' | 'failed' | 'stored';
  error: string | null;
  /** The webhook calls, unsigned: a retry signs them afresh and the API ignores the parts it already has. */
  unsigned: InboundSmsParams[];
  /** Which load can show it: loads started after this stamp include it. */
  storedAt: number;
}

/** What the server answered one webhook call. */
export interface WebhookAnswer {
  status: number;
  message: string | null;
}

/** The last text's webhook calls, exactly as posted (signed when the server signs), and their answers. */
export interface WebhookCall {
  text: string;
  signed: boolean;
  sentAt: string;
  parts: { params: InboundSmsParams; answer: WebhookAnswer }[];
}

export type ReplayState =
  | { state: 'idle' }
  | { state: 'replaying' }
  | {
      state: 'done';
      answers: WebhookAnswer[];
      /** Messages in the conversation before and after the replay; null when it could not be loaded. */
      before: number | null;
      after: number | null;
      at: string;
    };

/**
 * The phone simulator: one number's SMS conversation with support, polled while on screen, and the
 * texts it sends through the real inbound-SMS webhook, called the way Vonage calls it.
 */
export const usePhoneStore = defineStore('sandbox-phone', () => {
  const number = ref<string | null>(savedNumber());
  const status = ref<LoadStatus>('idle');
  const conversation = ref<SandboxPhoneConversation | null>(null);
  /** The last load's failure: the page's error before anything loaded, a banner after. */
  const error = ref<ApiError | null>(null);
  const outgoing = ref<OutgoingText[]>([]);
  const lastWebhook = ref<WebhookCall | null>(null);
  const replay = ref<ReplayState>({ state: 'idle' });

  const messages = computed(() => conversation.value?.messages ?? []);

  let clock = 0;
  let loading: AbortController | null = null;
  let pollGeneration = 0;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;
  /** Texts go out one after another, parts in order, as from a handset. */
  let sending: Promise<void> = Promise.resolve();

  /** Switches the phone to `next` (E.164), remembered for the next visit. */
  function choose(next: string): void {
    if (next === number.value && status.value !== 'idle') return;
    number.value = next;
    saveNumber(next);
    loading?.abort();
    conversation.value = null;
    status.value = 'idle';
    error.value = null;
    outgoing.value = [];
    lastWebhook.value = null;
    replay.value = { state: 'idle' };
    void refresh();
  }

  /** Loads the conversation; never rejects. A newer load (or another number) wins over an older one. */
  async function refresh(): Promise<void> {
    const current = number.value;
    if (!current) return;
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    const startedAt = ++clock;
    if (status.value !== 'ready') status.value = 'loading';
    try {
      const next = await withSandboxAccess((auth) =>
        fetchPhoneConversation(current, { ...auth, signal: controller.signal }),
      );
      if (controller.signal.aborted || current !== number.value) return;
      conversation.value = next;
      status.value = 'ready';
      error.value = null;
      outgoing.value = outgoing.value.filter((text) => text.state !== 'stored' || text.storedAt > startedAt);
    } catch (cause) {
      if (controller.signal.aborted || current !== number.value) return;
      error.value = asApiError(cause);
      if (status.value !== 'ready') status.value = 'error';
    } finally {
      if (loading === controller) loading = null;
    }
  }

  /** Polls every second (slower while failing) until `stopPolling`. */
  function startPolling(): void {
    stopPolling();
    const generation = ++pollGeneration;
    const tick = async () => {
      if (generation !== pollGeneration) return;
      await refresh();
      if (generation !== pollGeneration) return;
      pollTimer = setTimeout(tick, error.value ? POLL_AFTER_ERROR_MS : POLL_MS);
    };
    void tick();
  }

  function stopPolling(): void {
    pollGeneration += 1;
    clearTimeout(pollTimer);
    pollTimer = undefined;
  }

  /** Texts `text` to `supportNumber` from the phone: signed (when the server signs) and posted part by part. */
  async function send(text: string, supportNumber: string): Promise<void> {
    const from = number.value;
    if (!from || text.trim() === '') return;
    sequence += 1;
    outgoing.value.push({
      localId: `local-${sequence}`,
      text,
      createdAt: new Date().toISOString(),
      state: 'sending',
      error: null,
      unsigned: inboundSmsParams({ from, to: supportNumber, text }),
      storedAt: 0,
    });
    await inTurn(outgoing.value[outgoing.value.length - 1]!);
  }

  /** Sends a refused text again; parts the API already has are ignored by their messageId. */
  async function retry(localId: string): Promise<void> {
    const text = outgoing.value.find((candidate) => candidate.localId === localId);
    if (text?.state === 'failed') await inTurn(text);
  }

  function inTurn(text: OutgoingText): Promise<void> {
    text.state = 'sending';
    text.error = null;
    sending = sending.then(() => deliver(text));
    return sending;
  }

  function discard(localId: string): void {
    outgoing.value = outgoing.value.filter((text) => text.localId !== localId);
  }

  async function deliver(text: OutgoingText): Promise<void> {
    const from = number.value;
    const call: WebhookCall = { text: text.text, signed: false, sentAt: new Date().toISOString(), parts: [] };
    try {
      for (const unsigned of text.unsigned) {
        const { params, signed } = await withSandboxAccess((auth) => signWebhook(unsigned, auth));
        call.signed = signed;
        try {
          await postInboundSms(params);
          call.parts.push({ params, answer: { status: 204, message: null } });
        } catch (cause) {
          const failure = asApiError(cause);
          call.parts.push({ params, answer: { status: failure.status, message: failure.message } });
          throw failure;
        }
      }
      text.state = 'stored';
      text.storedAt = ++clock;
    } catch (cause) {
      text.state = 'failed';
      text.error = describeSendFailure(asApiError(cause));
    } finally {
      if (from === number.value && call.parts.length > 0) {
        lastWebhook.value = call;
        replay.value = { state: 'idle' };
      }
    }
    if (text.state === 'stored') await refresh();
  }

  /** Posts the last webhook calls again, byte for byte, and says whether the conversation changed. */
  async function replayLast(): Promise<void> {
    const call = lastWebhook.value;
    if (!call || replay.value.state === 'replaying') return;
    replay.value = { state: 'replaying' };
    await refresh();
    const before = status.value === 'ready' && !error.value ? messages.value.length : null;
    const answers: WebhookAnswer[] = [];
    for (const { params } of call.parts) {
      try {
        await postInboundSms(params);
        answers.push({ status: 204, message: null });
      } catch (cause) {
        const failure = asApiError(cause);
        answers.push({ status: failure.status, message: failure.message });
      }
    }
    await refresh();
    const after = status.value === 'ready' && !error.value ? messages.value.length : null;
    if (lastWebhook.value === call) {
      replay.value = { state: 'done', answers, before, after, at: new Date().toISOString() };
    }
  }

  return {
    number,
    status,
    conversation,
    messages,
    error,
    outgoing,
    lastWebhook,
    replay,
    choose,
    refresh,
    startPolling,
    stopPolling,
    send,
    retry,
    discard,
    replayLast,
  };
});

function savedNumber(): string | null {
  try {
    const saved = localStorage.getItem(SAVED_NUMBER_KEY);
    return saved ? toE164(saved) : null;
  } catch {
    return null;
  }
}

function saveNumber(number: string): void {
  try {
    localStorage.setItem(SAVED_NUMBER_KEY, number);
  } catch {
    // Storage can be off (private windows); the phone simply asks again next time.
  }
}

function asApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  return new ApiError({
    status: 0,
    code: ClientErrorCode.UnexpectedResponse,
    message: cause instanceof Error ? cause.message : String(cause),
    cause,
  });
}

function describeSendFailure(failure: ApiError): string {
  if (failure.code === ClientErrorCode.Network) return 'Not sent: the server could not be reached.';
  const detail = failure.fieldErrors.map((field) => field.message).join('; ') || failure.message;
  const reference = failure.errorId ? ` (error ${failure.errorId})` : '';
  return failure.status > 0
    ? `Not sent: the webhook answered ${failure.status}. ${detail}${reference}`
    : `Not sent: ${detail}`;
}
