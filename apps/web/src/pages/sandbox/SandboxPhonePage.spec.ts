import { ErrorCode } from '@switchboard/contracts';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { aSignIn } from '../../console/testing/console-builders';
import { POLL_MS, SAVED_NUMBER_KEY } from '../../stores/sandbox/phone';
import {
  jsonResponse,
  pendingResponse,
  routeFetch,
  stubFetch,
  type FetchMock,
  type FetchRoute,
} from '../../testing/fetch-stub';
import { mountAppAt } from '../../testing/mount-page';
import { aSandboxSite, aSiteInfo, aSiteSandbox, anAgentsOnlySandbox } from '../../testing/site-info';
import { aConversation, aPhoneMessage, apiError, noContent } from './testing/sandbox-builders';

const byTestId = (id: string) => `[data-testid="${id}"]`;
const NUMBER = '+447700900001';
const MESSAGES = '/api/sandbox/phones/%2B447700900001/messages';

describe('the phone simulator page', () => {
  let fetchMock: FetchMock;
  let wrapper: VueWrapper | undefined;
  /** What the webhook received, in order. */
  let webhooks: Record<string, string>[];
  let signed: Record<string, string>[];

  beforeEach(() => {
    fetchMock = stubFetch();
    localStorage.clear();
    webhooks = [];
    signed = [];
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    vi.useRealTimers();
    setVisibility('visible');
  });

  function setVisibility(state: DocumentVisibilityState): void {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }

  const loads = () => fetchMock.mock.calls.filter(([input]) => String(input).includes('/messages')).length;

  function bodyOf(init: RequestInit): Record<string, unknown> {
    return JSON.parse(String(init.body)) as Record<string, unknown>;
  }

  /** The sandbox API as the page uses it; the signer adds a signature like the server's. */
  function serve(routes: Record<string, FetchRoute> = {}, conversation = aConversation()): void {
    routeFetch(fetchMock, {
      'GET /api/site': () => jsonResponse(aSandboxSite()),
      [`GET ${MESSAGES}`]: () => jsonResponse(conversation),
      'POST /api/sandbox/sign-webhook': ({ init }) => {
        const params = (bodyOf(init).params as Record<string, string>) ?? {};
        signed.push(params);
        return jsonResponse({ params: { ...params, sig: `sig-${signed.length}` }, signed: true });
      },
      'POST /webhooks/inbound-sms': ({ init }) => {
        webhooks.push(bodyOf(init) as Record<string, string>);
        return noContent();
      },
      ...routes,
    });
  }

  async function open(path = '/sandbox/phone'): Promise<VueWrapper> {
    wrapper = (await mountAppAt(path)).wrapper;
    await flushPromises();
    return wrapper;
  }

  async function openAs(number = NUMBER): Promise<VueWrapper> {
    localStorage.setItem(SAVED_NUMBER_KEY, number);
    return open();
  }

  async function send(page: VueWrapper, text: string): Promise<void> {
    await page.get(byTestId('phone-input')).setValue(text);
    await page.get(byTestId('phone-composer')).trigger('submit');
    await flushPromises();
  }

  describe('outside sandbox mode', () => {
    it('shows the not-found page under the same address and asks the sandbox API nothing', async () => {
      routeFetch(fetchMock, { 'GET /api/site': () => jsonResponse(aSiteInfo()) });

      const { wrapper: page, router } = await mountAppAt('/sandbox/phone');
      wrapper = page;

      expect(page.find(byTestId('not-found')).exists()).toBe(true);
      expect(page.get(byTestId('not-found-path')).text()).toBe('/sandbox/phone');
      expect(router.currentRoute.value.fullPath).toBe('/sandbox/phone');
      expect(fetchMock).toHaveBeenCalledTimes(1);
    });

    it('is the not-found page when SMS go to a real provider, even with the mailbox sandboxed', async () => {
      routeFetch(fetchMock, {
        'GET /api/site': () => jsonResponse(aSandboxSite({ sandbox: aSiteSandbox({ phone: false }) })),
      });

      const { wrapper: page } = await mountAppAt('/sandbox/phone');
      wrapper = page;

      expect(page.get(byTestId('not-found-path')).text()).toBe('/sandbox/phone');
      expect(fetchMock).toHaveBeenCalledTimes(1);
    });

    it("in production signs the webhook and reads the phone with the agent's token, never the webhook", async () => {
      const authorizations: Record<string, string | undefined> = {};
      const recorded =
        (route: FetchRoute): FetchRoute =>
        (call) => {
          const key = `${call.init.method ?? 'GET'} ${call.url.pathname}`;
          authorizations[key] = (call.init.headers as Record<string, string>).Authorization;
          return route(call);
        };
      serve({
        'GET /api/site': () => jsonResponse(aSiteInfo({ sandbox: anAgentsOnlySandbox() })),
        'POST /api/auth/refresh': () => jsonResponse(aSignIn({ accessToken: 'agent-token' })),
        [`GET ${MESSAGES}`]: recorded(() => jsonResponse(aConversation())),
        'POST /api/sandbox/sign-webhook': recorded(({ init }) =>
          jsonResponse({ params: JSON.parse(String(init.body)).params, signed: false }),
        ),
        'POST /webhooks/inbound-sms': recorded(() => noContent()),
      });
      const page = await openAs();

      await send(page, 'Hello');

      expect(authorizations).toEqual({
        'GET /api/sandbox/phones/%2B447700900001/messages': 'Bearer agent-token',
        'POST /api/sandbox/sign-webhook': 'Bearer agent-token',
        'POST /webhooks/inbound-sms': undefined,
      });
    });

    it('opens the page when the site info cannot be loaded, and lets the page show what fails', async () => {
      serve({ 'GET /api/site': () => Promise.reject(new TypeError('Failed to fetch')) });

      const page = await openAs();

      expect(page.find(byTestId('not-found')).exists()).toBe(false);
      expect(page.find(byTestId('phone')).exists()).toBe(true);
    });
  });

  describe('choosing the phone', () => {
    it('asks which phone on a first visit, offering the presets and the unreachable one', async () => {
      serve();

      const page = await open();

      expect(page.find(byTestId('phone-picker')).exists()).toBe(true);
      const presets = page.findAll(byTestId('phone-preset'));
      expect(presets.map((preset) => preset.attributes('data-number'))).toContain('+447700900666');
      expect(presets.length).toBeGreaterThanOrEqual(5);
      expect(page.find(byTestId('phone-input')).exists()).toBe(false);
    });

    it('refuses a number without its country code, and remembers a good one', async () => {
      serve();
      const page = await open();

      await page.get(byTestId('phone-custom-number')).setValue('07700 900001');
      await page.get(byTestId('phone-custom-form')).trigger('submit');
      expect(page.get(byTestId('phone-custom-problem')).text()).toContain('international format');
      expect(page.get(byTestId('phone-custom-number')).attributes('aria-invalid')).toBe('true');

      await page.get(byTestId('phone-custom-number')).setValue('+44 7700 900001');
      await page.get(byTestId('phone-custom-form')).trigger('submit');
      await flushPromises();

      expect(localStorage.getItem(SAVED_NUMBER_KEY)).toBe(NUMBER);
      expect(page.get(byTestId('phone-number')).text()).toBe('+44 7700 900001');
      expect(page.find(byTestId('phone-empty')).exists()).toBe(true);
    });

    it('warns that a 0666 number plays an unreachable phone', async () => {
      serve({
        'GET /api/sandbox/phones/%2B447700900666/messages': () =>
          jsonResponse(aConversation([], { number: '+447700900666' })),
      });
      const page = await open();

      await page.get('[data-number="+447700900666"]').trigger('click');
      await flushPromises();

      expect(page.get(byTestId('phone-unreachable')).text()).toContain('0666');
    });
  });

  describe('states', () => {
    it('shows a loading state while the messages are on their way', async () => {
      serve({ [`GET ${MESSAGES}`]: () => pendingResponse() });

      const page = await openAs();

      const loading = page.get(byTestId('phone-loading'));
      expect(loading.attributes('aria-busy')).toBe('true');
      expect(page.get(byTestId('phone-input')).attributes('disabled')).toBeDefined();
    });

    it('shows an error with a retry that loads the messages', async () => {
      let calls = 0;
      serve({
        [`GET ${MESSAGES}`]: () =>
          ++calls === 1 ? apiError(500, ErrorCode.Internal, 'Internal error') : jsonResponse(aConversation()),
      });
      const page = await openAs();

      expect(page.get(byTestId('phone-error')).attributes('role')).toBe('alert');
      await page.get(byTestId('phone-retry')).trigger('click');
      await flushPromises();

      expect(page.find(byTestId('phone-error')).exists()).toBe(false);
      expect(page.find(byTestId('phone-empty')).exists()).toBe(true);
    });

    it('offers texts to try when the conversation is empty; one fills the composer', async () => {
      serve();
      const page = await openAs();

      const suggestions = page.findAll(byTestId('phone-suggestion'));
      expect(suggestions.map((suggestion) => suggestion.text())).toContain('HELP');
      await suggestions.find((suggestion) => suggestion.text() === 'HELP')!.trigger('click');

      expect((page.get(byTestId('phone-input')).element as HTMLTextAreaElement).value).toBe('HELP');
    });

    it("shows the phone's texts as its own bubbles and support's with their ticks and reasons", async () => {
      serve(
        {},
        aConversation([
          aPhoneMessage({ direction: 'in', status: 'received', body: 'Where is my parcel?' }),
          aPhoneMessage({ status: 'delivered', body: 'Your ticket number is 17.' }),
          aPhoneMessage({ status: 'queued', body: 'Checking now' }),
          aPhoneMessage({ status: 'failed', body: 'Any news?', error: 'Absent subscriber' }),
          aPhoneMessage({ status: 'suppressed', body: 'HELP reply', error: 'Automatic SMS limit reached' }),
        ]),
      );

      const page = await openAs();

      const bubbles = page.findAll(byTestId('phone-message'));
      expect(
        bubbles.map((bubble) => [bubble.attributes('data-direction'), bubble.attributes('data-status')]),
      ).toEqual([
        ['in', 'received'],
        ['out', 'delivered'],
        ['out', 'queued'],
        ['out', 'failed'],
        ['out', 'suppressed'],
      ]);
      expect(bubbles[0]!.find(byTestId('phone-delivery')).exists()).toBe(false);
      expect(bubbles[1]!.get(byTestId('phone-delivery')).text()).toBe('Delivered');
      expect(bubbles[2]!.get(byTestId('phone-delivery')).text()).toBe('Queued');
      expect(bubbles[3]!.get(byTestId('phone-delivery')).text()).toBe('Not delivered');
      expect(bubbles[3]!.get(byTestId('phone-delivery-reason')).text()).toBe('Absent subscriber');
      expect(bubbles[4]!.get(byTestId('phone-delivery-reason')).text()).toBe('Automatic SMS limit reached');
      expect(page.find(byTestId('phone-empty')).exists()).toBe(false);
    });

    it('renders texts as text, never as HTML', async () => {
      serve({}, aConversation([aPhoneMessage({ direction: 'in', body: '<img src=x onerror=alert(1)>' })]));

      const page = await openAs();

      expect(page.find(byTestId('phone-messages')).find('img').exists()).toBe(false);
      expect(page.get(byTestId('phone-message-body')).text()).toBe('<img src=x onerror=alert(1)>');
    });
  });

  describe('polling', () => {
    it('asks for new SMS every second while on screen, nothing while hidden, and catches up on return', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      serve();
      await openAs();
      const first = loads();
      await vi.advanceTimersByTimeAsync(POLL_MS);
      expect(loads()).toBe(first + 1);

      setVisibility('hidden');
      await vi.advanceTimersByTimeAsync(10 * POLL_MS);
      expect(loads()).toBe(first + 1);

      setVisibility('visible');
      await vi.advanceTimersByTimeAsync(0);
      expect(loads()).toBe(first + 2);
    });

    it('stops when the page closes', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      serve();
      const page = await openAs();
      const before = loads();

      page.unmount();
      wrapper = undefined;
      await vi.advanceTimersByTimeAsync(10 * POLL_MS);

      expect(loads()).toBe(before);
    });
  });

  describe('texting support', () => {
    it('signs the params through the server, then posts them to the inbound webhook as Vonage would', async () => {
      serve();
      const page = await openAs();

      await send(page, 'Where is my order?');

      expect(signed).toHaveLength(1);
      expect(signed[0]).toMatchObject({
        msisdn: '447700900001',
        to: '447700900000',
        text: 'Where is my order?',
        type: 'text',
        keyword: 'WHERE',
        'api-key': 'sandbox',
      });
      expect(webhooks).toEqual([{ ...signed[0], sig: 'sig-1' }]);
      expect(page.get(byTestId('webhook-signed')).text()).toBe('Signed');
      expect(page.get(byTestId('webhook-answer')).text()).toBe('204 No Content');
    });

    it('posts a long text as its parts, each signed', async () => {
      serve();
      const page = await openAs();

      await send(page, 'x'.repeat(400));

      expect(
        webhooks.map((params) => [params['concat-part'], params['concat-total'], params.text!.length]),
      ).toEqual([
        ['1', '3', 153],
        ['2', '3', 153],
        ['3', '3', 94],
      ]);
      expect(new Set(webhooks.map((params) => params['concat-ref'])).size).toBe(1);
      expect(webhooks.map((params) => params.sig)).toEqual(['sig-1', 'sig-2', 'sig-3']);
      expect(page.findAll(byTestId('webhook-part'))).toHaveLength(3);
    });

    it('keeps a refused text with the reason, and sends it again on request', async () => {
      let refuse = true;
      serve({
        'POST /webhooks/inbound-sms': ({ init }) => {
          if (refuse)
            return apiError(400, ErrorCode.ValidationFailed, 'Invalid text', [
              { field: 'text', message: 'text is too long' },
            ]);
          webhooks.push(bodyOf(init) as Record<string, string>);
          return noContent();
        },
      });
      const page = await openAs();

      await send(page, 'Hello?');

      const failed = page.get(byTestId('phone-outgoing'));
      expect(failed.attributes('data-state')).toBe('failed');
      expect(page.get(byTestId('phone-send-error')).text()).toBe(
        'Not sent: the webhook answered 400. text is too long',
      );
      expect(page.get(byTestId('webhook-answer')).text()).toBe('400');

      refuse = false;
      await page.get(byTestId('phone-send-retry')).trigger('click');
      await flushPromises();

      expect(webhooks).toHaveLength(1);
      expect(webhooks[0]!.text).toBe('Hello?');
      expect(signed).toHaveLength(2);
      expect(signed[1]!.messageId).toBe(signed[0]!.messageId);
      expect(page.find(byTestId('phone-outgoing')).exists()).toBe(false);
    });

    it('replays the last webhook byte for byte and says the conversation did not change', async () => {
      const stored = aConversation([aPhoneMessage({ direction: 'in', body: 'Hi' }), aPhoneMessage()]);
      serve({}, stored);
      const page = await openAs();
      await send(page, 'Hi');

      await page.get(byTestId('webhook-replay')).trigger('click');
      await flushPromises();

      expect(webhooks).toHaveLength(2);
      expect(webhooks[1]).toEqual(webhooks[0]);
      expect(signed).toHaveLength(1);
      expect(page.get(byTestId('webhook-replay-answer')).text()).toContain('204 No Content');
      expect(page.get(byTestId('webhook-replay-outcome')).text()).toBe(
        'Nothing changed: the conversation still has 2 messages, and no reply went out twice.',
      );
    });
  });
});
