import { ErrorCode, type CallOptions, type CallView, type ChatMessage } from '@switchboard/contracts';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  jsonResponse,
  pendingResponse,
  routeFetch,
  stubFetch,
  type FetchMock,
} from '../../testing/fetch-stub';
import type { VoiceClient } from '../../chat/browser-call';
import CallUs from './CallUs.vue';

const byTestId = (id: string) => `[data-testid="${id}"]`;
const PATH = '/api/chat/conversations/2087/calls';

const aCall = (over: Partial<CallView> = {}): CallView => ({
  id: '42',
  status: 'requested',
  via: 'phone',
  phone: '+447700900123',
  durationSeconds: null,
  createdAt: '2026-12-05T10:12:00.000Z',
  ...over,
});

const options = (over: Partial<CallOptions> = {}): CallOptions => ({
  available: true,
  reason: null,
  phone: '+447700900123',
  call: null,
  browser: null,
  ...over,
});

const callEvent = (id: string, status: string): ChatMessage => ({
  id,
  seq: Number(id),
  conversationId: '2087',
  kind: 'event',
  author: { role: 'system', id: null, name: null },
  body: '',
  payload: { type: 'call', callId: '42', status, leg: 'customer' },
  clientId: null,
  createdAt: '2026-12-05T10:12:00.000Z',
});

describe('CallUs', () => {
  let fetchMock: FetchMock;

  beforeEach(() => {
    fetchMock = stubFetch();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const mountIt = async (messages: ChatMessage[] = []) => {
    const wrapper = mount(CallUs, { props: { conversationId: '2087', accessToken: 'token-1', messages } });
    await flushPromises();
    return wrapper;
  };

  it('offers nothing while no agent can take a call', async () => {
    routeFetch(fetchMock, {
      [`GET ${PATH}`]: () => jsonResponse(options({ available: false, reason: 'No agent' })),
    });
    const wrapper = await mountIt();
    expect(wrapper.find(byTestId('call-us')).exists()).toBe(false);
  });

  it('says which number it will call, shows progress while asking, then the call on its way', async () => {
    let answer: (response: Response) => void = () => {};
    routeFetch(fetchMock, {
      [`GET ${PATH}`]: () => jsonResponse(options()),
      [`POST ${PATH}`]: () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const wrapper = await mountIt();

    await wrapper.get(byTestId('call-open')).trigger('click');
    expect(wrapper.get(byTestId('call-phone')).text()).toBe('+44 7700 900123');
    await wrapper.get(byTestId('call-me')).trigger('click');
    expect(wrapper.get(byTestId('call-me')).text()).toBe('Calling…');
    expect(wrapper.get(byTestId('call-me')).attributes('disabled')).toBeDefined();

    routeFetch(fetchMock, {
      [`GET ${PATH}`]: () => jsonResponse(options({ call: aCall({ status: 'ringing' }) })),
    });
    answer(jsonResponse(aCall(), 201));
    await flushPromises();
    expect(wrapper.get(byTestId('call-status')).text()).toContain('Your phone is ringing: +44 7700 900123');
  });

  it("says why the call was refused, in the server's words", async () => {
    routeFetch(fetchMock, {
      [`GET ${PATH}`]: () => jsonResponse(options()),
      [`POST ${PATH}`]: () =>
        jsonResponse(
          {
            statusCode: 429,
            code: ErrorCode.CallLimitReached,
            message: 'At most 3 calls an hour: write to us here',
          },
          429,
        ),
    });
    const wrapper = await mountIt();
    await wrapper.get(byTestId('call-open')).trigger('click');
    await wrapper.get(byTestId('call-me')).trigger('click');
    await flushPromises();
    expect(wrapper.get(byTestId('call-error')).text()).toBe('At most 3 calls an hour: write to us here');
    expect(wrapper.find(byTestId('call-status')).exists()).toBe(false);
  });

  it('tells a customer without a number on record to write instead, and calls nobody', async () => {
    routeFetch(fetchMock, { [`GET ${PATH}`]: () => jsonResponse(options({ phone: null })) });
    const wrapper = await mountIt();
    await wrapper.get(byTestId('call-open')).trigger('click');
    expect(wrapper.get(byTestId('call-no-phone')).text()).toContain('no phone number for you');
    expect(wrapper.find(byTestId('call-me')).exists()).toBe(false);
  });

  it('follows the call live from its thread events, and hangs up', async () => {
    routeFetch(fetchMock, {
      [`GET ${PATH}`]: () => jsonResponse(options({ call: aCall({ status: 'ringing' }) })),
      [`DELETE ${PATH}/42`]: () => pendingResponse(),
    });
    const wrapper = await mountIt([callEvent('7', 'ringing')]);
    expect(wrapper.get(byTestId('call-status')).attributes('data-status')).toBe('ringing');

    routeFetch(fetchMock, {
      [`GET ${PATH}`]: () => jsonResponse(options({ call: aCall({ status: 'connected' }) })),
      [`DELETE ${PATH}/42`]: () => pendingResponse(),
    });
    await wrapper.setProps({ messages: [callEvent('7', 'ringing'), callEvent('8', 'answered')] });
    await flushPromises();
    expect(wrapper.get(byTestId('call-status')).text()).toContain('You are on the call');

    await wrapper.get(byTestId('call-hang-up')).trigger('click');
    expect(wrapper.get(byTestId('call-hang-up')).text()).toBe('Hanging up…');
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(true);
  });

  describe('calling from the browser', () => {
    /** The Client SDK's part this page uses, played by a stand-in that records what it was asked. */
    function aVoiceClient(overrides: Partial<VoiceClient> = {}) {
      const calls: string[] = [];
      let hangupListener: ((callId: string) => void) | undefined;
      const client: VoiceClient = {
        createSession: async (token) => (calls.push(`createSession ${token}`), 'session-1'),
        serverCall: async (context) => (calls.push(`serverCall ${JSON.stringify(context)}`), 'call-1'),
        hangup: async (callId) => {
          calls.push(`hangup ${callId}`);
          hangupListener?.(callId);
        },
        on: (_event, callback) => ((hangupListener = callback), Symbol('callHangup')),
        deleteSession: async () => void calls.push('deleteSession'),
        ...overrides,
      };
      return { client, calls, load: async () => client };
    }

    const session = { token: 'sdk-jwt', callToken: 'call-token' };
    const placed = (over: Partial<CallView> = {}) =>
      jsonResponse({ ...aCall({ via: 'browser', phone: null, ...over }), session }, 201);

    it('opens a Client SDK session with the server’s token, places the call with the call token, and hangs up through it', async () => {
      const sdk = aVoiceClient();
      let posted: unknown;
      routeFetch(fetchMock, {
        [`GET ${PATH}`]: () => jsonResponse(options({ phone: null, browser: 'vonage' })),
        [`POST ${PATH}`]: ({ init }) => ((posted = JSON.parse(String(init.body))), placed()),
        [`DELETE ${PATH}/42`]: () => new Response(null, { status: 204 }),
      });
      const wrapper = mount(CallUs, {
        props: { conversationId: '2087', accessToken: 'token-1', messages: [], loadVoiceClient: sdk.load },
      });
      await flushPromises();

      await wrapper.get(byTestId('call-open')).trigger('click');
      expect(wrapper.find(byTestId('call-me')).exists()).toBe(false); // no number on record
      await wrapper.get(byTestId('call-browser')).trigger('click');
      await flushPromises();
      expect(posted).toEqual({ via: 'browser' });
      expect(sdk.calls).toEqual(['createSession sdk-jwt', 'serverCall {"callToken":"call-token"}']);

      routeFetch(fetchMock, {
        [`GET ${PATH}`]: () =>
          jsonResponse(
            options({ browser: 'vonage', call: aCall({ via: 'browser', phone: null, status: 'connected' }) }),
          ),
        [`DELETE ${PATH}/42`]: () => new Response(null, { status: 204 }),
      });
      await wrapper.setProps({ messages: [callEvent('9', 'answered')] });
      await flushPromises();
      await wrapper.get(byTestId('call-hang-up')).trigger('click');
      await flushPromises();
      expect(sdk.calls.slice(2)).toEqual(['hangup call-1', 'deleteSession']);
      expect(
        fetchMock.mock.calls.some(
          ([input, init]) => init?.method === 'DELETE' && String(input).endsWith('/calls/42'),
        ),
      ).toBe(true);
    });

    it('says why the browser could not start the call, and hangs the server’s call up', async () => {
      const sdk = aVoiceClient({
        createSession: async () => {
          throw new Error('EXPIRED_TOKEN');
        },
      });
      routeFetch(fetchMock, {
        [`GET ${PATH}`]: () => jsonResponse(options({ browser: 'vonage' })),
        [`POST ${PATH}`]: () => placed(),
        [`DELETE ${PATH}/42`]: () => new Response(null, { status: 204 }),
      });
      const wrapper = mount(CallUs, {
        props: { conversationId: '2087', accessToken: 'token-1', messages: [], loadVoiceClient: sdk.load },
      });
      await flushPromises();
      await wrapper.get(byTestId('call-open')).trigger('click');
      await wrapper.get(byTestId('call-browser')).trigger('click');
      await flushPromises();
      expect(wrapper.get(byTestId('call-error')).text()).toContain(
        'Your browser could not start the call (EXPIRED_TOKEN)',
      );
      expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(true);
    });

    it('offers it in the sandbox, saying it is simulated, and not through Vonage in a build without the SDK', async () => {
      routeFetch(fetchMock, { [`GET ${PATH}`]: () => jsonResponse(options({ browser: 'sandbox' })) });
      const sandbox = await mountIt();
      await sandbox.get(byTestId('call-open')).trigger('click');
      expect(sandbox.find(byTestId('call-browser')).exists()).toBe(true);
      expect(sandbox.get(byTestId('call-sandbox-note')).text()).toContain('simulated');

      routeFetch(fetchMock, { [`GET ${PATH}`]: () => jsonResponse(options({ browser: 'vonage' })) });
      const vonage = await mountIt();
      await vonage.get(byTestId('call-open')).trigger('click');
      expect(vonage.find(byTestId('call-browser')).exists()).toBe(false);
      expect(vonage.find(byTestId('call-me')).exists()).toBe(true);
    });
  });
});
