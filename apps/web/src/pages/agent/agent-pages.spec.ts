import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router';

import {
  aCustomer,
  aDetail,
  anEntry,
  aPage,
  aSignIn,
  aSummary,
  FakeLiveChannel,
} from '../../console/testing/console-builders';
import { useLiveStore } from '../../stores/console/live';
import {
  jsonResponse,
  routeFetch,
  stubFetch,
  type FetchMock,
  type FetchRoute,
} from '../../testing/fetch-stub';
import { agentRoutes } from './routes';

const unauthorized = () =>
  jsonResponse({ statusCode: 401, code: 'auth/unauthorized', message: 'Your session has ended' }, 401);

describe('agent console pages', () => {
  let fetchMock: FetchMock;
  let router: Router;
  let wrapper: VueWrapper | undefined;
  let channel: FakeLiveChannel;

  beforeEach(() => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
    channel = new FakeLiveChannel();
    useLiveStore().start(channel.factory);
    router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/', component: { render: () => null } }, ...agentRoutes],
    });
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  async function openAt(path: string, routes: Record<string, FetchRoute>): Promise<VueWrapper> {
    routeFetch(fetchMock, routes);
    await router.push(path);
    await router.isReady();
    const App = defineComponent({ render: () => h(RouterView) });
    wrapper = mount(App, { global: { plugins: [router] }, attachTo: document.body });
    await flushPromises();
    return wrapper;
  }

  it('sends a signed-out agent to sign in, then back to the ticket they asked for', async () => {
    let signedIn = false;
    const page = await openAt('/agent/tickets/10', {
      'POST /api/auth/refresh': () => (signedIn ? jsonResponse(aSignIn()) : unauthorized()),
      'POST /api/auth/login': ({ init }) => {
        const { password } = JSON.parse(String(init.body)) as { password: string };
        if (password !== 'correct horse') {
          return jsonResponse(
            { statusCode: 401, code: 'auth/unauthorized', message: 'Wrong email or password' },
            401,
          );
        }
        signedIn = true;
        return jsonResponse(aSignIn());
      },
      'GET /api/tickets': () => jsonResponse(aPage([aSummary()])),
      'GET /api/tickets/10': () => jsonResponse(aDetail()),
      'POST /api/tickets/10/read': () => new Response(null, { status: 204 }),
    });

    expect(router.currentRoute.value.fullPath).toBe('/agent/login?redirect=/agent/tickets/10');
    await page.get('[data-testid="login-email"]').setValue('grace@example.com');
    await page.get('[data-testid="login-password"]').setValue('wrong');
    await page.get('form').trigger('submit');
    await flushPromises();
    expect(page.get('[data-testid="login-error"]').text()).toBe('Wrong email or password.');

    await page.get('[data-testid="login-password"]').setValue('correct horse');
    await page.get('form').trigger('submit');
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/agent/tickets/10'), {
      timeout: 5_000,
    });
    await vi.waitFor(() => expect(page.find('[data-testid="ticket-customer"]').exists()).toBe(true), {
      timeout: 5_000,
    });

    expect(page.get('[data-testid="agent-name"]').text()).toContain('Grace Hopper');
    expect(page.get('[data-testid="ticket-customer"]').text()).toBe('Ada Lovelace');
  });

  it('restores the session on a reload, without asking to sign in', async () => {
    const page = await openAt('/agent', {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn()),
      'GET /api/tickets': () => jsonResponse(aPage([aSummary({ unread: 3 })])),
    });

    expect(router.currentRoute.value.name).toBe('agent-inbox');
    expect(page.get('[data-testid="unread-badge"]').text()).toBe('3');
    expect(page.find('[data-testid="no-ticket"]').exists()).toBe(true);
    expect(document.title).toBe('(1) Inbox · Switchboard');
  });

  it('shows the opted-out banner and turns the SMS composer off', async () => {
    const page = await openAt('/agent/tickets/10', {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn()),
      'GET /api/tickets': () => jsonResponse(aPage([aSummary()])),
      'GET /api/tickets/10': () =>
        jsonResponse(
          aDetail({
            customer: aCustomer({ smsOptedOutAt: '2026-03-02T09:00:00.000Z', smsOptOutSource: 'sms: STOP' }),
          }),
        ),
      'POST /api/tickets/10/read': () => new Response(null, { status: 204 }),
    });

    expect(page.get('[data-testid="opted-out-banner"]').text()).toContain('They texted “STOP”');
    expect(page.get('[data-testid="reply-input"]').attributes('disabled')).toBeDefined();
  });

  it('shows a chat’s order beside the thread', async () => {
    const page = await openAt('/agent/tickets/10', {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn()),
      'GET /api/tickets': () => jsonResponse(aPage([aSummary({ channel: 'chat' })])),
      'GET /api/tickets/10': () =>
        jsonResponse(
          aDetail({
            channel: 'chat',
            currentOrderId: '77',
            orders: [
              {
                id: '77',
                currency: 'USD',
                total: 998,
                createdAt: '2026-03-01T10:00:00.000Z',
                items: [{ name: 'Blue widget', quantity: 2, unitPrice: 499 }],
              },
            ],
            thread: [anEntry({ seq: 1, body: 'Where is it?' })],
          }),
        ),
      'POST /api/tickets/10/read': () => new Response(null, { status: 204 }),
    });

    const panel = page.get('aside [data-testid="order-panel"]');
    expect(panel.text()).toContain('Order #77');
    expect(panel.text()).toContain('Blue widget');
    expect(panel.get('[data-testid="order-total"]').text()).toBe('$9.98');
    expect(page.get('[data-testid="composer-count"]').text()).toBe('0 / 2000');
  });

  it('says so when a ticket does not exist', async () => {
    const page = await openAt('/agent/tickets/404', {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn()),
      'GET /api/tickets': () => jsonResponse(aPage([])),
      'GET /api/tickets/404': () =>
        jsonResponse({ statusCode: 404, code: 'ticket/not_found', message: 'No ticket 404' }, 404),
    });

    expect(page.get('[data-testid="ticket-error"]').text()).toContain('No ticket #404');
    expect(page.get('[data-testid="inbox-empty"]').text()).toContain('All caught up');
  });

  it('moves with j and k, and closes the ticket with Esc', async () => {
    const page = await openAt('/agent/tickets/2', {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn()),
      'GET /api/tickets': () =>
        jsonResponse(aPage([aSummary({ id: '1' }), aSummary({ id: '2' }), aSummary({ id: '3' })])),
      'GET /api/tickets/2': () => jsonResponse(aDetail({ id: '2' })),
      'POST /api/tickets/2/read': () => new Response(null, { status: 204 }),
    });

    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
    expect((document.activeElement as HTMLElement).dataset.ticketId).toBe('3');
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', bubbles: true }));
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', bubbles: true }));
    expect((document.activeElement as HTMLElement).dataset.ticketId).toBe('1');

    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'r', bubbles: true }));
    expect(document.activeElement?.id).toBe('reply-composer');

    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(document.activeElement?.id).not.toBe('reply-composer');
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();

    expect(router.currentRoute.value.name).toBe('agent-inbox');
    expect(page.find('[data-testid="ticket-page"]').exists()).toBe(false);
  });

  it('signs out from the header', async () => {
    const page = await openAt('/agent', {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn()),
      'GET /api/tickets': () => jsonResponse(aPage([])),
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
    });
    routeFetch(fetchMock, {
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
      'POST /api/auth/refresh': unauthorized,
    });

    await page.get('[data-testid="sign-out"]').trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.name).toBe('agent-login');
    expect(page.get('[data-testid="login-notice"]').text()).toBe('You are signed out.');
    expect(channel.disconnected).toBe(true);
  });
});
