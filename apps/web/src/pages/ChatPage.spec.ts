import { ErrorCode } from '@switchboard/contracts';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ClientErrorCode } from '../api/http';
import { ChatRequestError } from '../chat/chat-transport';
import {
  aChatSession,
  aConversation,
  aMessage,
  anOrder,
  anOrderConfirmation,
  CONVERSATION_ID,
  FakeChatTransport,
  ORDER_ID,
} from '../testing/chat';
import { jsonResponse, pendingResponse, routeFetch, stubFetch, type FetchMock } from '../testing/fetch-stub';
import { mountAppAt } from '../testing/mount-page';
import { aSiteInfo } from '../testing/site-info';
import ChatPage from './ChatPage.vue';

const transports = vi.hoisted(() => ({ current: undefined as unknown }));
vi.mock('../chat/load-chat-transport', () => ({
  loadChatTransport: async () => {
    if (transports.current instanceof Error) throw transports.current;
    return transports.current;
  },
}));

const byTestId = (id: string) => `[data-testid="${id}"]`;
const chatPath = `/chat/${CONVERSATION_ID}/${ORDER_ID}`;
const storageKey = `switchboard.chat-link.${CONVERSATION_ID}`;

describe(ChatPage.__name ?? 'ChatPage', () => {
  let fetchMock: FetchMock;
  let transport: FakeChatTransport;
  let sessionRequests: unknown[];

  beforeEach(() => {
    sessionStorage.clear();
    fetchMock = stubFetch();
    transport = new FakeChatTransport([
      anOrderConfirmation(1),
      aMessage({ seq: 2, body: 'Hello Ada, how can I help?' }),
    ]);
    transports.current = transport;
    sessionRequests = [];
    routeWith({
      session: () => jsonResponse(aChatSession()),
      conversation: () =>
        jsonResponse(
          aConversation({
            orders: [
              anOrder({
                id: '43',
                currency: 'EUR',
                total: 1900,
                items: [{ name: 'Gadget', quantity: 1, unitPrice: 1900 }],
              }),
              anOrder(),
            ],
            messages: transport.stored.slice(),
          }),
        ),
    });
  });

  function routeWith(answers: {
    session: () => Response | Promise<Response>;
    conversation?: () => Response;
  }) {
    routeFetch(fetchMock, {
      'GET /api/site': () => jsonResponse(aSiteInfo()),
      'POST /api/chat/session': ({ init }) => {
        sessionRequests.push(JSON.parse(init.body as string));
        return answers.session();
      },
      [`GET /api/chat/conversations/${CONVERSATION_ID}`]: () =>
        (answers.conversation ?? (() => jsonResponse(aConversation())))(),
    });
  }

  async function openOnline(path = `${chatPath}?token=link-token`) {
    const mounted = await mountAppAt(path);
    transport.setConnection('connected');
    await flushPromises();
    return mounted;
  }

  const texts = (wrapper: VueWrapper, id: string) =>
    wrapper.findAll(byTestId(id)).map((found) => found.text());

  it('shows a loading state while the session is on its way', async () => {
    routeWith({ session: () => pendingResponse() });

    const { wrapper } = await mountAppAt(`${chatPath}?token=link-token`);

    expect(wrapper.get(byTestId('chat-loading')).attributes('aria-busy')).toBe('true');
    expect(wrapper.find(byTestId('chat')).exists()).toBe(false);
  });

  it('shows the order from the link, the other orders and the thread with its order card', async () => {
    const { wrapper } = await openOnline();

    expect(wrapper.get(byTestId('chat-heading')).text()).toBe(`Order #${ORDER_ID}`);
    expect(wrapper.get(byTestId('chat-greeting')).text()).toContain('Hi Ada,');
    const current = wrapper.get(byTestId('current-order'));
    expect(current.findAll(byTestId('order-line')).map((line) => line.text())).toEqual([
      expect.stringMatching(/^Widget\s*\$9\.98\s*2 × \$4\.99$/),
      expect.stringMatching(/^Gizmo\s*\$4\.99\s*1 × \$4\.99$/),
    ]);
    expect(current.get(byTestId('order-total')).text()).toBe('$14.97');
    expect(current.get(byTestId('current-order-date')).attributes('datetime')).toBe(
      '2026-03-01T10:00:00.000Z',
    );
    const history = wrapper.get(byTestId('order-history'));
    expect(history.text()).toContain('Your other orders (1)');
    expect(history.findAll(byTestId('order-history-entry')).map((entry) => entry.text())).toEqual([
      expect.stringContaining('#43'),
    ]);
    expect(history.text()).toContain('€19.00');
    const card = wrapper.get(byTestId('chat-order-card'));
    expect(card.attributes('data-order-id')).toBe(ORDER_ID);
    expect(card.text()).toContain(`Order #${ORDER_ID} confirmed`);
    expect(card.text()).toContain('This order');
    expect(texts(wrapper, 'chat-message-text')).toEqual(['Hello Ada, how can I help?']);
    expect(wrapper.get('[role="log"]').attributes('aria-live')).toBe('polite');
    expect(document.title).toBe(`Order #${ORDER_ID} · ACME Support`);
  });

  it('takes the token out of the address bar and keeps it for this tab', async () => {
    const { router } = await openOnline(`${chatPath}?token=link-token#latest`);

    expect(sessionRequests).toEqual([{ conversationId: CONVERSATION_ID, token: 'link-token' }]);
    expect(router.currentRoute.value.fullPath).toBe(`${chatPath}#latest`);
    expect(sessionStorage.getItem(storageKey)).toBe('link-token');
  });

  it('opens again on reload with the token it kept', async () => {
    sessionStorage.setItem(storageKey, 'kept-token');

    const { wrapper } = await openOnline(chatPath);

    expect(sessionRequests).toEqual([{ conversationId: CONVERSATION_ID, token: 'kept-token' }]);
    expect(wrapper.find(byTestId('chat')).exists()).toBe(true);
  });

  it('prefers a token in the URL to one kept from before', async () => {
    sessionStorage.setItem(storageKey, 'old-token');

    await openOnline(`${chatPath}?token=new-token`);

    expect(sessionRequests).toEqual([{ conversationId: CONVERSATION_ID, token: 'new-token' }]);
    expect(sessionStorage.getItem(storageKey)).toBe('new-token');
  });

  it('says the link does not work when it has no token, without asking the API', async () => {
    const { wrapper } = await mountAppAt(chatPath);

    expect(wrapper.get(byTestId('chat-invalid')).text()).toContain("This chat link doesn't work");
    expect(sessionRequests).toEqual([]);
    expect(document.title).toBe('Chat link not valid');
  });

  it('explains an expired link: when, and what to do, and forgets its token', async () => {
    routeWith({
      session: () =>
        jsonResponse(
          {
            statusCode: 401,
            code: ErrorCode.ChatLinkExpired,
            message: 'This chat link expired on 2026-01-05',
          },
          401,
        ),
    });

    const { wrapper } = await mountAppAt(`${chatPath}?token=old`);

    const problem = wrapper.get(byTestId('chat-expired'));
    expect(problem.attributes('role')).toBe('alert');
    expect(problem.get('h1').text()).toBe('This chat link has expired');
    expect(wrapper.get(byTestId('chat-expired-when')).text()).toBe('This chat link expired on 2026-01-05');
    expect(problem.text()).toContain('Use the chat link in a newer email');
    expect(wrapper.get(byTestId('contact-support')).attributes('href')).toBe('/');
    expect(wrapper.find(byTestId('chat-composer')).exists()).toBe(false);
    expect(sessionStorage.getItem(storageKey)).toBeNull();
  });

  it('closes an open chat when the shop withdraws the link: says so, and what to do instead', async () => {
    const { wrapper } = await openOnline();
    expect(wrapper.find(byTestId('chat')).exists()).toBe(true);
    routeWith({
      session: () =>
        jsonResponse(
          { statusCode: 401, code: ErrorCode.ChatLinkRevoked, message: 'This chat link was withdrawn' },
          401,
        ),
    });

    // The server ended the session (`session:ended` revoked): the page tries its link again.
    transport.setConnection('unauthorized');
    await flushPromises();

    const problem = wrapper.get(byTestId('chat-revoked'));
    expect(problem.attributes('role')).toBe('alert');
    expect(problem.get('h1').text()).toBe('This chat link was withdrawn');
    expect(problem.text()).toContain('Use the chat link in your latest order email');
    expect(problem.text()).toContain('contact the shop');
    expect(wrapper.find(byTestId('chat-composer')).exists()).toBe(false);
    expect(transport.disconnected).toBe(true);
    expect(sessionStorage.getItem(storageKey)).toBeNull();
    expect(document.title).toBe('Chat link withdrawn');
  });

  it.each([
    [401, ErrorCode.ChatLinkInvalid],
    [400, ErrorCode.ValidationFailed],
  ])('says the link does not work on a %i %s', async (status, code) => {
    routeWith({ session: () => jsonResponse({ statusCode: status, code, message: 'Nope' }, status) });

    const { wrapper } = await mountAppAt(`${chatPath}?token=tampered`);

    expect(wrapper.get(byTestId('chat-invalid')).get('h1').text()).toBe("This chat link doesn't work");
    expect(wrapper.find(byTestId('chat-thread')).exists()).toBe(false);
  });

  it('offers a retry after a network error, which opens the chat', async () => {
    let attempts = 0;
    routeWith({
      session: () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError('Failed to fetch');
        return jsonResponse(aChatSession());
      },
    });
    const { wrapper } = await mountAppAt(`${chatPath}?token=link-token`);
    expect(wrapper.get(byTestId('chat-unavailable-message')).text()).toContain(
      'Check your internet connection',
    );

    await wrapper.get(byTestId('chat-retry')).trigger('click');
    await flushPromises();

    expect(wrapper.find(byTestId('chat-unavailable')).exists()).toBe(false);
    expect(wrapper.find(byTestId('chat')).exists()).toBe(true);
  });

  it('says the chat is unavailable when this build cannot carry the session’s chat (Vonage)', async () => {
    routeWith({ session: () => jsonResponse(aChatSession({ transport: 'vonage' })) });
    transports.current = new ChatRequestError(
      ClientErrorCode.UnsupportedChatTransport,
      'This version of the app cannot connect to the "vonage" chat.',
    );

    const { wrapper } = await mountAppAt(`${chatPath}?token=link-token`);

    expect(wrapper.find(byTestId('chat-unavailable')).exists()).toBe(true);
    expect(wrapper.find(byTestId('chat')).exists()).toBe(false);
  });

  it('quotes the reference of a server error', async () => {
    routeWith({
      session: () =>
        jsonResponse(
          { statusCode: 500, code: ErrorCode.Internal, message: 'Internal error', errorId: 'e-77' },
          500,
        ),
    });

    const { wrapper } = await mountAppAt(`${chatPath}?token=link-token`);

    expect(wrapper.get(byTestId('chat-unavailable-message')).text()).toContain(
      'Something went wrong on our side',
    );
    expect(wrapper.get(byTestId('chat-error-reference')).text()).toContain('e-77');
  });

  it('says when the order in the link is not one of the customer’s, and keeps the chat', async () => {
    const { wrapper } = await openOnline(`/chat/${CONVERSATION_ID}/999?token=link-token`);

    expect(wrapper.get(byTestId('current-order-missing')).text()).toContain("We couldn't find order #999");
    expect(wrapper.find(byTestId('current-order')).exists()).toBe(false);
    expect(wrapper.find(byTestId('chat-composer')).exists()).toBe(true);
  });

  it('shows what people typed as text, never as HTML', async () => {
    const { wrapper } = await openOnline();

    transport.agentSays('<img src=x onerror="window.__xss=1">');
    transport.agentSays('<script>window.__xss=2</script>');
    await flushPromises();

    expect(texts(wrapper, 'chat-message-text').slice(1)).toEqual([
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
    ]);
    expect(wrapper.get(byTestId('chat-thread')).find('img').exists()).toBe(false);
    expect(wrapper.get(byTestId('chat-thread')).find('script').exists()).toBe(false);
  });

  describe('composer', () => {
    it('sends on Enter and clears the field; Shift+Enter does not send', async () => {
      const { wrapper } = await openOnline();
      const input = wrapper.get(byTestId('chat-input'));

      await input.setValue('Line one');
      await input.trigger('keydown', { key: 'Enter', shiftKey: true });
      expect(transport.sends).toEqual([]);
      await input.trigger('keydown', { key: 'Enter' });
      await flushPromises();

      expect(transport.sends.map((request) => request.body)).toEqual(['Line one']);
      expect((input.element as HTMLTextAreaElement).value).toBe('');
      expect(texts(wrapper, 'chat-message-text')).toContain('Line one');
    });

    it('counts down near the limit and refuses a message over it', async () => {
      const { wrapper } = await openOnline();
      const input = wrapper.get(byTestId('chat-input'));

      await input.setValue('x'.repeat(1850));
      expect(wrapper.get(byTestId('chat-counter')).text()).toBe('150 characters left');
      expect(wrapper.get(byTestId('chat-send')).attributes('disabled')).toBeUndefined();

      await input.setValue('x'.repeat(2003));
      expect(wrapper.get(byTestId('chat-counter')).text()).toContain('Too long by 3 characters');
      expect(input.attributes('aria-invalid')).toBe('true');
      expect(wrapper.get(byTestId('chat-send')).attributes('disabled')).toBeDefined();
      await input.trigger('keydown', { key: 'Enter' });
      expect(transport.sends).toEqual([]);
    });

    it("queues a message while offline and says it's waiting", async () => {
      const { wrapper } = await openOnline();
      transport.setConnection('disconnected');
      await flushPromises();

      await wrapper.get(byTestId('chat-input')).setValue('Still there?');
      await wrapper.get(byTestId('chat-composer')).trigger('submit');

      expect(wrapper.get(byTestId('connection-banner')).text()).toContain("Can't reach the chat right now.");
      expect(wrapper.get(byTestId('chat-pending')).text()).toContain('Waiting for connection…');

      transport.setConnection('connected');
      await flushPromises();

      expect(wrapper.find(byTestId('chat-pending')).exists()).toBe(false);
      expect(wrapper.get(byTestId('connection-banner')).text()).toBe('');
      expect(texts(wrapper, 'chat-message-text')).toEqual(['Hello Ada, how can I help?', 'Still there?']);
    });

    it("shows the server's reason for a refused message, and sends it again on request", async () => {
      const { wrapper } = await openOnline();
      transport.sendHandler = async () => {
        throw new ChatRequestError(ErrorCode.ChatMessageTooLong, 'A message can be at most 2000 characters');
      };

      await wrapper.get(byTestId('chat-input')).setValue('Hello?');
      await wrapper.get(byTestId('chat-composer')).trigger('submit');
      await flushPromises();

      expect(wrapper.get(byTestId('chat-pending')).attributes('data-state')).toBe('failed');
      expect(wrapper.get(byTestId('chat-pending-error')).text()).toBe(
        'Not sent: A message can be at most 2000 characters',
      );

      transport.sendHandler = undefined;
      await wrapper.get(byTestId('chat-pending')).get('button').trigger('click');
      await flushPromises();

      expect(wrapper.find(byTestId('chat-pending')).exists()).toBe(false);
      expect(texts(wrapper, 'chat-message-text')).toContain('Hello?');
    });
  });

  it("shows Seen under the customer's latest message the agent has read", async () => {
    const { wrapper } = await openOnline();
    await wrapper.get(byTestId('chat-input')).setValue('First');
    await wrapper.get(byTestId('chat-composer')).trigger('submit');
    await flushPromises();
    await wrapper.get(byTestId('chat-input')).setValue('Second');
    await wrapper.get(byTestId('chat-composer')).trigger('submit');
    await flushPromises();

    transport.readChanged({ seq: 3 });
    await flushPromises();

    const seen = wrapper
      .findAll(byTestId('chat-message'))
      .filter((row) => row.find(byTestId('chat-message-seen')).exists());
    expect(seen.map((row) => row.get(byTestId('chat-message-text')).text())).toEqual(['First']);
  });

  it('marks the thread read while the page is visible', async () => {
    await openOnline();

    expect(transport.reads).toEqual([2]);
  });

  it('shows the agent typing', async () => {
    const { wrapper } = await openOnline();

    transport.typingChanged({ typing: true, name: 'Grace' });
    await flushPromises();

    expect(wrapper.get(byTestId('typing-indicator')).text()).toBe('Grace is typing…');
  });

  it('disconnects when the customer leaves the page', async () => {
    const { router } = await openOnline();

    await router.push('/no/such/page');
    await flushPromises();

    expect(transport.disconnected).toBe(true);
  });
});
