import { ErrorCode } from '@switchboard/contracts';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  aConversation,
  aPhoneMessage,
  apiError,
  noContent,
} from '../../pages/sandbox/testing/sandbox-builders';
import { jsonResponse, routeFetch, stubFetch, type FetchMock } from '../../testing/fetch-stub';
import { POLL_AFTER_ERROR_MS, POLL_MS, SAVED_NUMBER_KEY, usePhoneStore } from './phone';

const MESSAGES = '/api/sandbox/phones/%2B447700900001/messages';

describe(usePhoneStore.name ?? 'usePhoneStore', () => {
  let fetchMock: FetchMock;

  beforeEach(() => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
    localStorage.clear();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const loads = () => fetchMock.mock.calls.filter(([input]) => String(input).includes('/messages')).length;

  it('starts with the number used last time', () => {
    localStorage.setItem(SAVED_NUMBER_KEY, '+447700900003');
    expect(usePhoneStore().number).toBe('+447700900003');
  });

  it('ignores a saved value that is not a phone number', () => {
    localStorage.setItem(SAVED_NUMBER_KEY, 'javascript:alert(1)');
    expect(usePhoneStore().number).toBeNull();
  });

  it('polls every second until stopped, and more slowly while the server is away', async () => {
    vi.useFakeTimers();
    let failing = false;
    routeFetch(fetchMock, {
      [`GET ${MESSAGES}`]: () =>
        failing ? Promise.reject(new TypeError('offline')) : jsonResponse(aConversation()),
    });
    const sut = usePhoneStore();
    sut.choose('+447700900001');
    await vi.advanceTimersByTimeAsync(0);
    expect(loads()).toBe(1);

    sut.startPolling();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(loads()).toBe(4);

    failing = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(loads()).toBe(5);
    expect(sut.status).toBe('ready');
    expect(sut.error?.code).toBe('client/network_error');
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(loads(), 'waits longer after a failure').toBe(5);
    await vi.advanceTimersByTimeAsync(POLL_AFTER_ERROR_MS - POLL_MS);
    expect(loads()).toBe(6);

    sut.stopPolling();
    await vi.advanceTimersByTimeAsync(10 * POLL_AFTER_ERROR_MS);
    expect(loads()).toBe(6);
  });

  it('drops an answer for the phone it no longer is', async () => {
    let answer!: (response: Response) => void;
    routeFetch(fetchMock, {
      [`GET ${MESSAGES}`]: () => new Promise<Response>((resolve) => (answer = resolve)),
      'GET /api/sandbox/phones/%2B447700900002/messages': () =>
        jsonResponse(aConversation([aPhoneMessage({ body: 'for two' })], { number: '+447700900002' })),
    });
    const sut = usePhoneStore();
    sut.choose('+447700900001');
    sut.choose('+447700900002');
    await flushPromises();

    answer(jsonResponse(aConversation([aPhoneMessage({ body: 'for one' })])));
    await flushPromises();

    expect(sut.number).toBe('+447700900002');
    expect(sut.messages.map((message) => message.body)).toEqual(['for two']);
  });

  it('reports a refused replay of a signed multipart text, and that nothing changed', async () => {
    let posts = 0;
    routeFetch(fetchMock, {
      [`GET ${MESSAGES}`]: () =>
        jsonResponse(aConversation([aPhoneMessage({ direction: 'in' }), aPhoneMessage()])),
      'POST /api/sandbox/sign-webhook': ({ init }) =>
        jsonResponse({ params: { ...JSON.parse(String(init.body)).params, sig: 'x' }, signed: true }),
      'POST /webhooks/inbound-sms': () =>
        ++posts <= 2
          ? noContent()
          : apiError(401, ErrorCode.Unauthorized, 'Webhook signature rejected: this nonce was already used'),
    });
    const sut = usePhoneStore();
    sut.choose('+447700900001');
    await sut.send('y'.repeat(200), '+447700900000');
    expect(sut.lastWebhook?.parts).toHaveLength(2);

    await sut.replayLast();

    expect(posts).toBe(4);
    expect(sut.replay).toMatchObject({
      state: 'done',
      answers: [
        { status: 401, message: 'Webhook signature rejected: this nonce was already used' },
        { status: 401, message: 'Webhook signature rejected: this nonce was already used' },
      ],
      before: 2,
      after: 2,
    });
  });
});
