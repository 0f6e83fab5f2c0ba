import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';

import {
  aDetail,
  aPage,
  aSignIn,
  aSummary,
  FakeLiveChannel,
  aMessage,
} from '../../console/testing/console-builders';
import { jsonResponse, routeFetch, stubFetch, type FetchMock } from '../../testing/fetch-stub';
import { useInboxStore } from './inbox';
import { useLiveStore } from './live';
import { useAgentSessionStore } from './session';
import { useTicketStore } from './ticket';
import { useToastStore } from './toasts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('useLiveStore', () => {
  let fetchMock: FetchMock;
  let channel: FakeLiveChannel;
  const calls: string[] = [];

  beforeEach(async () => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
    calls.length = 0;
    routeFetch(fetchMock, {
      'POST /api/auth/login': () => jsonResponse(aSignIn()),
      'GET /api/tickets': ({ url }) => {
        const ticket = url.searchParams.get('ticket');
        calls.push(`list ${ticket ?? ''}`);
        return jsonResponse(aPage([aSummary({ id: ticket === '20' ? '20' : '10' })]));
      },
      'GET /api/tickets/10': () => {
        calls.push('detail 10');
        return jsonResponse(aDetail({ thread: [aMessage({ seq: 1 }) as never] }));
      },
      'GET /api/tickets/20': () => {
        calls.push('detail 20');
        return jsonResponse(
          aDetail({
            id: '20',
            channel: 'chat',
            customer: { ...aDetail().customer, name: 'Chatty Cathy' },
            currentOrderId: '77',
          }),
        );
      },
    });
    await useAgentSessionStore().signIn('grace@example.com', 'pw');
    channel = new FakeLiveChannel();
  });

  it('connects with the agent’s current token', () => {
    useLiveStore().start(channel.factory);

    expect(channel.connects).toBe(1);
    expect(channel.token()).toBe('token-1');
  });

  it('joins the open ticket once it is loaded and live, after its last seq', async () => {
    const sut = useLiveStore();
    sut.start(channel.factory);
    channel.handlers.state('live');
    await useTicketStore().open('10');
    await nextTick();
    await settle();

    expect(channel.joins).toEqual([{ conversationId: '10', afterSeq: 1 }]);
  });

  it('tells the server which ticket is on screen: none while the tab is hidden, again after a reconnect', async () => {
    const sut = useLiveStore();
    sut.start(channel.factory);
    channel.handlers.state('live');
    await useTicketStore().open('10');
    await nextTick();
    await settle();
    expect(channel.views).toEqual([null, '10']);

    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    channel.handlers.state('offline');
    channel.handlers.state('live');
    await settle();

    expect(channel.views).toEqual([null, '10', null, '10', '10']);
    sut.stop();
  });

  it('updates the inbox row and the open ticket when the server says a ticket changed', async () => {
    await useInboxStore().load();
    await useTicketStore().open('10');
    calls.length = 0;
    useLiveStore().start(channel.factory);

    channel.handlers.inboxChanged({ ticketId: '10', reason: 'delivery' });
    await settle();

    expect(calls.sort()).toEqual(['detail 10', 'list 10']);
  });

  it('announces a customer opening their order chat', async () => {
    await useInboxStore().load();
    useLiveStore().start(channel.factory);

    channel.handlers.inboxChanged({ ticketId: '20', reason: 'chat_opened' });
    await settle();
    await settle();

    expect(useToastStore().toasts).toMatchObject([
      {
        title: 'Chatty Cathy opened the chat',
        body: 'About order #77',
        action: { label: 'Open chat', to: { name: 'agent-ticket', params: { ticketId: '20' } } },
      },
    ]);
    expect(useInboxStore().items.map((ticket) => ticket.id)).toContain('20');
  });

  it('refetches what the agent is looking at after a reconnect', async () => {
    await useInboxStore().load();
    await useTicketStore().open('10');
    const sut = useLiveStore();
    sut.start(channel.factory);
    channel.handlers.state('live');
    await settle();
    calls.length = 0;

    channel.handlers.state('offline');
    channel.handlers.state('live');
    await settle();

    expect(calls.sort()).toEqual(['detail 10', 'list ']);
    expect(channel.joins).toHaveLength(2);
  });

  it('tells a chat customer the agent is typing, repeating only every few seconds', () => {
    const sut = useLiveStore();
    sut.start(channel.factory);

    sut.typing('10');
    sut.typing('10');
    sut.stopTyping();

    expect(channel.typingSignals).toEqual([
      { conversationId: '10', typing: true },
      { conversationId: '10', typing: false },
    ]);
  });

  it('hands each refreshed token to the live socket', async () => {
    routeFetch(fetchMock, {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn({ accessToken: 'token-2' })),
    });
    useLiveStore().start(channel.factory);
    channel.handlers.state('live');

    await useAgentSessionStore().refresh();
    await nextTick();

    expect(channel.renewals).toEqual(['token-2']);
  });

  it('signs the agent out, saying why, when the server revokes the session', () => {
    const session = useAgentSessionStore();
    useLiveStore().start(channel.factory);

    channel.handlers.revoked();

    expect(session.signedIn).toBe(false);
    expect(session.signedOutReason).toBe('revoked');
  });

  it('refreshes the token and connects again when the server closed an expired session', async () => {
    routeFetch(fetchMock, {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn({ accessToken: 'token-2' })),
    });
    useLiveStore().start(channel.factory);
    expect(channel.connects).toBe(1);

    channel.handlers.state('unauthorized');
    await settle();
    await settle();

    expect(channel.connects).toBe(2);
    expect(channel.token()).toBe('token-2');
  });
});
