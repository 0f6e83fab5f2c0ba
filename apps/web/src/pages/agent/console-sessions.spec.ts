import { ErrorCode } from '@switchboard/contracts';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { mountConsoleAt } from '../../console/testing/console-app';
import {
  aDetail,
  anAgent,
  anOrder,
  aPage,
  aSignIn,
  aSummary,
  ME,
} from '../../console/testing/console-builders';
import { useToastStore } from '../../stores/console/toasts';
import { jsonResponse, pendingResponse, routeFetch, type FetchRoute } from '../../testing/fetch-stub';

const byTestId = (id: string) => `[data-testid="${id}"]`;
const ADMIN = { ...ME, role: 'admin' as const };
const noContent = () => new Response(null, { status: 204 });
const apiError = (status: number, code: string, message: string) =>
  jsonResponse({ statusCode: status, code, message }, status);

describe('the console and sessions that end', () => {
  let wrapper: VueWrapper | undefined;

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  async function open(path: string, routes: Record<string, FetchRoute>, agent = ME) {
    const mounted = await mountConsoleAt(path, {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn({ agent: { ...agent } })),
      'GET /api/tickets': () => jsonResponse(aPage([aSummary()])),
      'GET /api/site': () => jsonResponse({}),
      ...routes,
    });
    wrapper = mounted.wrapper;
    return mounted;
  }

  it('goes to the sign-in page, saying the session was ended, when the server revokes it', async () => {
    const { router, channel, fetchMock } = await open('/agent/tickets/10', {
      'GET /api/tickets/10': () => jsonResponse(aDetail()),
      'POST /api/tickets/10/read': noContent,
    });
    // Revoked (signed out in another window, or disabled): the refresh cookie is refused too.
    routeFetch(fetchMock, {
      'POST /api/auth/refresh': () => apiError(401, ErrorCode.Unauthorized, 'Your session has ended'),
      'GET /api/site': () => jsonResponse({}),
    });

    channel.handlers.revoked();
    await vi.waitFor(() => expect(wrapper!.find(byTestId('login-notice')).exists()).toBe(true));

    expect(router.currentRoute.value.name).toBe('agent-login');
    expect(router.currentRoute.value.query).toMatchObject({
      reason: 'revoked',
      redirect: '/agent/tickets/10',
    });
    expect(wrapper!.get(byTestId('login-notice')).text()).toContain('Your session was ended');
    expect(channel.disconnected).toBe(true);
  });

  describe("withdrawing a chat customer's links", () => {
    const chatTicket = () =>
      aDetail({ channel: 'chat', currentOrderId: '77', orders: [anOrder()], customer: aDetail().customer });

    function sidePanel(page: VueWrapper) {
      return page.get(`aside ${byTestId('chat-links')}`);
    }

    it('asks first, then withdraws them with progress and says it was done', async () => {
      let answer: (response: Response) => void = () => {};
      const withdrawals: string[] = [];
      const { wrapper: page } = await open('/agent/tickets/10', {
        'GET /api/tickets/10': () => jsonResponse(chatTicket()),
        'POST /api/tickets/10/read': noContent,
        'DELETE /api/customers/50/chat-links': ({ url, init }) => {
          withdrawals.push(`${url.pathname} ${(init.headers as Record<string, string>).Authorization}`);
          return new Promise<Response>((resolve) => (answer = resolve));
        },
      });

      await sidePanel(page).get(byTestId('withdraw-chat-links')).trigger('click');
      expect(withdrawals).toEqual([]);
      const confirm = sidePanel(page).get(byTestId('withdraw-confirm'));
      expect(confirm.text()).toContain('Withdraw every chat link sent to Ada Lovelace?');
      expect(confirm.text()).toContain('Their open chat closes now');

      await confirm.get(byTestId('withdraw-chat-links-confirm')).trigger('click');
      await flushPromises();
      const button = sidePanel(page).get(byTestId('withdraw-chat-links-confirm'));
      expect(button.text()).toBe('Withdrawing…');
      expect(button.attributes('disabled')).toBeDefined();

      answer(noContent());
      await flushPromises();

      expect(withdrawals).toEqual(['/api/customers/50/chat-links Bearer token-1']);
      expect(useToastStore().toasts).toMatchObject([{ tone: 'success', title: 'Chat links withdrawn' }]);
      expect(sidePanel(page).find(byTestId('withdraw-confirm')).exists()).toBe(false);
    });

    it('says why when the withdrawal fails, and lets the agent try again', async () => {
      let attempts = 0;
      const { wrapper: page } = await open('/agent/tickets/10', {
        'GET /api/tickets/10': () => jsonResponse(chatTicket()),
        'POST /api/tickets/10/read': noContent,
        'DELETE /api/customers/50/chat-links': () =>
          ++attempts === 1 ? apiError(404, ErrorCode.CustomerNotFound, 'No customer 50') : noContent(),
      });
      await sidePanel(page).get(byTestId('withdraw-chat-links')).trigger('click');

      await sidePanel(page).get(byTestId('withdraw-chat-links-confirm')).trigger('click');
      await flushPromises();

      expect(sidePanel(page).get(byTestId('withdraw-error')).text()).toBe('Not withdrawn: No customer 50');
      expect(useToastStore().toasts).toEqual([]);

      await sidePanel(page).get(byTestId('withdraw-chat-links-confirm')).trigger('click');
      await flushPromises();

      expect(attempts).toBe(2);
      expect(sidePanel(page).find(byTestId('withdraw-error')).exists()).toBe(false);
    });

    it('is not offered on an SMS ticket', async () => {
      const { wrapper: page } = await open('/agent/tickets/10', {
        'GET /api/tickets/10': () => jsonResponse(aDetail()),
        'POST /api/tickets/10/read': noContent,
      });

      expect(page.find(byTestId('chat-links')).exists()).toBe(false);
    });
  });

  describe('the assignee menu', () => {
    it('leaves disabled agents out, but still shows a disabled assignee, marked', async () => {
      const { wrapper: page } = await open('/agent/tickets/10', {
        'GET /api/tickets/10': () => jsonResponse(aDetail({ assignee: { id: '3', name: 'Alan Turing' } })),
        'POST /api/tickets/10/read': noContent,
        'GET /api/agents': () =>
          jsonResponse([
            { ...ME },
            anAgent({ id: '2', name: 'Ada Lovelace' }),
            anAgent({ id: '3', name: 'Alan Turing', disabled: true }),
            anAgent({ id: '4', name: 'Radia Perlman', disabled: true }),
          ]),
      });

      await page.get(byTestId('assignee-select')).trigger('focus');
      await flushPromises();

      const options = page.findAll(`${byTestId('assignee-select')} option`);
      expect(options.map((option) => option.text())).toEqual([
        'Unassigned',
        'Alan Turing (disabled)',
        'Grace Hopper (me)',
        'Ada Lovelace',
      ]);
      expect((page.get(byTestId('assignee-select')).element as HTMLSelectElement).value).toBe('3');
    });
  });

  describe('the team page (admins)', () => {
    const team = () => [
      { ...ADMIN },
      anAgent({ id: '2', name: 'Ada Lovelace', email: 'ada@example.com' }),
      anAgent({ id: '3', name: 'Alan Turing', email: 'alan@example.com', disabled: true }),
    ];

    function member(page: VueWrapper, id: string) {
      return page.get(`${byTestId('team-member')}[data-agent-id="${id}"]`);
    }

    it('is linked from the header for admins, and lists the team with roles and who is disabled', async () => {
      const { wrapper: page, router } = await open(
        '/agent',
        { 'GET /api/agents': () => jsonResponse(team()) },
        ADMIN,
      );

      await page.get(byTestId('team-link')).trigger('click');
      await vi.waitFor(() => expect(page.find(byTestId('team-member')).exists()).toBe(true));

      expect(router.currentRoute.value.name).toBe('agent-team');
      expect(page.findAll(byTestId('team-member-name')).map((name) => name.text())).toEqual([
        'Grace Hopper (you)',
        'Ada Lovelace',
        'Alan Turing',
      ]);
      expect(member(page, '1').get(byTestId('team-member-role')).text()).toBe('Admin');
      expect(member(page, '1').find(byTestId('team-disable')).exists()).toBe(false);
      expect(member(page, '2').get(byTestId('team-member-role')).text()).toBe('Agent');
      expect(member(page, '2').find(byTestId('team-member-disabled')).exists()).toBe(false);
      expect(member(page, '3').get(byTestId('team-member-disabled')).text()).toBe('Disabled');
      expect(member(page, '3').get(byTestId('team-enable')).text()).toBe('Enable');
    });

    it('disables an agent only after confirming, with progress, then shows them disabled', async () => {
      let answer: (response: Response) => void = () => {};
      const patches: unknown[] = [];
      const { wrapper: page } = await open(
        '/agent/team',
        {
          'GET /api/agents': () => jsonResponse(team()),
          'PATCH /api/agents/2': ({ init }) => {
            patches.push(JSON.parse(String(init.body)));
            return new Promise<Response>((resolve) => (answer = resolve));
          },
        },
        ADMIN,
      );

      await member(page, '2').get(byTestId('team-disable')).trigger('click');
      expect(patches).toEqual([]);
      expect(member(page, '2').text()).toContain('They are signed out everywhere now');
      await member(page, '2').get(byTestId('team-disable-confirm')).trigger('click');
      await flushPromises();
      expect(member(page, '2').get(byTestId('team-disable-confirm')).text()).toBe('Disabling…');

      answer(jsonResponse(anAgent({ id: '2', name: 'Ada Lovelace', disabled: true })));
      await flushPromises();

      expect(patches).toEqual([{ disabled: true }]);
      expect(member(page, '2').get(byTestId('team-member-disabled')).text()).toBe('Disabled');
      expect(member(page, '2').find(byTestId('team-enable')).exists()).toBe(true);
      expect(useToastStore().toasts).toMatchObject([{ tone: 'success', title: 'Ada Lovelace disabled' }]);
    });

    it('shows why a change was refused, e.g. an admin disabling themselves (409)', async () => {
      const { wrapper: page } = await open(
        '/agent/team',
        {
          // Another admin's list, where this admin is not yet marked as "you".
          'GET /api/agents': () => jsonResponse([anAgent({ id: '2' })]),
          'PATCH /api/agents/2': () =>
            apiError(409, ErrorCode.CannotDisableSelf, 'You cannot disable yourself: ask another admin'),
        },
        ADMIN,
      );
      await member(page, '2').get(byTestId('team-disable')).trigger('click');

      await member(page, '2').get(byTestId('team-disable-confirm')).trigger('click');
      await flushPromises();

      expect(member(page, '2').get(byTestId('team-problem')).text()).toBe(
        'You cannot disable yourself: ask another admin.',
      );
      expect(member(page, '2').find(byTestId('team-member-disabled')).exists()).toBe(false);
    });

    it('enables a disabled agent again', async () => {
      const { wrapper: page } = await open(
        '/agent/team',
        {
          'GET /api/agents': () => jsonResponse(team()),
          'PATCH /api/agents/3': () =>
            jsonResponse(anAgent({ id: '3', name: 'Alan Turing', disabled: false })),
        },
        ADMIN,
      );

      await member(page, '3').get(byTestId('team-enable')).trigger('click');
      await flushPromises();

      expect(member(page, '3').find(byTestId('team-member-disabled')).exists()).toBe(false);
      expect(member(page, '3').find(byTestId('team-disable')).exists()).toBe(true);
    });

    it('says the team could not be loaded, with a retry', async () => {
      let attempts = 0;
      const { wrapper: page } = await open(
        '/agent/team',
        {
          'GET /api/agents': () =>
            ++attempts === 1 ? apiError(500, ErrorCode.Internal, 'Internal error') : jsonResponse(team()),
        },
        ADMIN,
      );
      expect(page.get(byTestId('team-error')).text()).toContain('Could not load the team');

      await page.get(`${byTestId('team-error')} button`).trigger('click');
      await flushPromises();

      expect(page.findAll(byTestId('team-member'))).toHaveLength(3);
    });

    it('shows progress while the team loads', async () => {
      const { wrapper: page } = await open(
        '/agent/team',
        { 'GET /api/agents': () => pendingResponse() },
        ADMIN,
      );

      expect(page.get('[aria-busy="true"]').text()).toBe('Loading the team…');
    });

    it('is not there for agents who are not admins: no link, and its address opens the inbox', async () => {
      const { wrapper: page, router } = await open('/agent/team', {});

      expect(router.currentRoute.value.name).toBe('agent-inbox');
      expect(page.find(byTestId('team-link')).exists()).toBe(false);
      expect(page.find(byTestId('team-page')).exists()).toBe(false);
    });
  });
});
