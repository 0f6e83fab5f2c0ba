import { ErrorCode } from '@switchboard/contracts';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Router } from 'vue-router';

import type { MailboxEmail } from '../../api/sandbox';
import { aSignIn } from '../../console/testing/console-builders';
import { useMailboxStore } from '../../stores/sandbox/mailbox';
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
import { anEmail, apiError } from './testing/sandbox-builders';

const byTestId = (id: string) => `[data-testid="${id}"]`;

/** Makes the page lay out as on a laptop (list and email side by side) or as on a phone. */
function screen(wide: boolean): void {
  vi.stubGlobal(
    'matchMedia',
    (query: string) =>
      ({
        matches: wide,
        media: query,
        addEventListener: () => {},
        removeEventListener: () => {},
      }) as unknown as MediaQueryList,
  );
}

describe('the mailbox page', () => {
  let fetchMock: FetchMock;
  let wrapper: VueWrapper | undefined;
  let router: Router;

  beforeEach(() => {
    fetchMock = stubFetch();
    screen(true);
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  function serve(emails: MailboxEmail[] | FetchRoute): void {
    routeFetch(fetchMock, {
      'GET /api/site': () => jsonResponse(aSandboxSite()),
      'GET /api/sandbox/emails': typeof emails === 'function' ? emails : () => jsonResponse(emails),
    });
  }

  async function open(path = '/sandbox/mail'): Promise<VueWrapper> {
    const mounted = await mountAppAt(path);
    wrapper = mounted.wrapper;
    router = mounted.router;
    await flushPromises();
    return wrapper;
  }

  it('shows a loading state while the mailbox is on its way', async () => {
    serve(() => pendingResponse());

    const page = await open();

    expect(page.get(byTestId('mail-loading')).attributes('aria-busy')).toBe('true');
  });

  it('shows an error with a retry', async () => {
    let calls = 0;
    serve(() =>
      ++calls === 1 ? apiError(500, ErrorCode.Internal, 'Internal error') : jsonResponse([anEmail()]),
    );
    const page = await open();

    expect(page.get(byTestId('mail-error')).attributes('role')).toBe('alert');
    await page.get(byTestId('mail-retry')).trigger('click');
    await flushPromises();

    expect(page.find(byTestId('mail-error')).exists()).toBe(false);
    expect(page.findAll(byTestId('mail-item'))).toHaveLength(1);
  });

  it('says the mailbox is empty and points to the shop', async () => {
    serve([]);

    const page = await open();

    const empty = page.get(byTestId('mail-empty'));
    expect(empty.text()).toContain('No email yet');
    expect(empty.get('a').attributes('href')).toBe('/sandbox/shop');
  });

  it('lists the emails newest first and opens the newest beside the list', async () => {
    const newest = anEmail({ subject: 'Your ACME order 32', orderId: '32' });
    const older = anEmail({ subject: 'Your ACME order 31', toName: null, to: 'bob@example.com' });
    serve([newest, older]);

    const page = await open();

    const items = page.findAll(byTestId('mail-item'));
    expect(items.map((item) => item.text())).toEqual([
      expect.stringContaining('Your ACME order 32'),
      expect.stringContaining('bob@example.com'),
    ]);
    expect(items[0]!.attributes('aria-current')).toBe('true');
    expect(page.get(byTestId('mail-subject')).text()).toBe('Your ACME order 32');
    expect(page.get(byTestId('mail-to')).text()).toBe('Ada Lovelace <ada@example.com>');
    expect(page.get(byTestId('mail-order')).text()).toBe('#32');
  });

  it('shows the HTML in a sandboxed frame without scripts or same-origin access, links opening in a new tab', async () => {
    serve([anEmail({ html: '<html><head></head><body><script>alert(1)</script><p>Hi</p></body></html>' })]);

    const page = await open();

    const frame = page.get(byTestId('mail-frame'));
    expect(frame.element.tagName).toBe('IFRAME');
    expect(frame.attributes('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    const srcdoc = frame.attributes('srcdoc')!;
    expect(srcdoc).toContain('<base target="_blank">');
    expect(srcdoc).toContain('Content-Security-Policy');
    // The email's markup goes into the frame only; the page itself never parses it.
    expect(page.get(byTestId('mail-viewer')).find('script').exists()).toBe(false);
    expect(frame.element.children).toHaveLength(0);
  });

  it('switches to the text version, with the chat link clickable and the rest as text', async () => {
    serve([anEmail({ text: 'Hello <b>Ada</b>,\nChat: http://app.test/chat/4/31?token=abc.\n— ACME' })]);
    const page = await open();

    const textTab = page.get(byTestId('mail-tab-text'));
    await textTab.trigger('click');

    expect(textTab.attributes('aria-selected')).toBe('true');
    const text = page.get(byTestId('mail-text'));
    expect(text.find('b').exists()).toBe(false);
    expect(text.text()).toContain('Hello <b>Ada</b>,');
    const link = text.get('a');
    expect(link.attributes('href')).toBe('http://app.test/chat/4/31?token=abc');
    expect(link.attributes('target')).toBe('_blank');
    expect(link.attributes('rel')).toBe('noopener noreferrer');
  });

  it('moves between the tabs with the arrow keys', async () => {
    serve([anEmail()]);
    const page = await open();

    await page.get(byTestId('mail-tab-html')).trigger('keydown', { key: 'ArrowRight' });

    expect(page.get(byTestId('mail-tab-text')).attributes('aria-selected')).toBe('true');
    expect(page.get(byTestId('mail-tab-html')).attributes('tabindex')).toBe('-1');
  });

  it("opens the order's email from the shop's link, waiting for it until it arrives", async () => {
    let emails: MailboxEmail[] = [anEmail({ orderId: '30', subject: 'Your ACME order 30' })];
    serve(() => jsonResponse(emails));
    const page = await open('/sandbox/mail?order=31');

    expect(page.get(byTestId('mail-waiting')).text()).toContain('order #31');
    expect(page.find(byTestId('mail-viewer')).exists()).toBe(false);

    emails = [anEmail({ orderId: '31', subject: 'Your ACME order 31' }), ...emails];
    await page.get(byTestId('mail-refresh')).trigger('click');
    await flushPromises();

    expect(page.get(byTestId('mail-subject')).text()).toBe('Your ACME order 31');
    expect(page.find(byTestId('mail-waiting')).exists()).toBe(false);
  });

  it('marks email that arrives while another is open as new, until it is opened', async () => {
    const first = anEmail({ subject: 'Your ACME order 30' });
    let emails: MailboxEmail[] = [first];
    serve(() => jsonResponse(emails));
    const page = await open(`/sandbox/mail?email=${first.id}`);

    const second = anEmail({ subject: 'Your ACME order 31' });
    emails = [second, first];
    await page.get(byTestId('mail-refresh')).trigger('click');
    await flushPromises();

    const items = page.findAll(byTestId('mail-item'));
    expect(items[0]!.text()).toContain('New');
    expect(items[1]!.text()).not.toContain('New');
    expect(page.get(byTestId('mail-subject')).text()).toBe('Your ACME order 30');

    await router.push({ query: { email: second.id } });
    await flushPromises();
    expect(page.findAll(byTestId('mail-item'))[0]!.text()).not.toContain('New');
  });

  it('on a phone shows the list, then the email alone with a way back', async () => {
    screen(false);
    const email = anEmail();
    serve([email]);
    const page = await open();

    expect(page.find(byTestId('mail-viewer')).exists()).toBe(false);
    await router.push({ query: { email: email.id } });
    await flushPromises();

    expect(page.find(byTestId('mail-viewer')).exists()).toBe(true);
    expect(page.findAll(byTestId('mail-item'))).toHaveLength(0);
    expect(page.get(byTestId('mail-back')).attributes('href')).toBe('/sandbox/mail');
  });

  it('says so when the asked-for email is not in the mailbox', async () => {
    serve([anEmail()]);

    const page = await open('/sandbox/mail?email=999');

    expect(page.get(byTestId('mail-missing')).text()).toContain("This email isn't here");
  });

  it('offers in its bar only the sandbox parts this installation has', async () => {
    routeFetch(fetchMock, {
      'GET /api/site': () => jsonResponse(aSandboxSite({ sandbox: aSiteSandbox({ phone: false }) })),
      'GET /api/sandbox/emails': () => jsonResponse([]),
    });

    const page = await open();

    expect(page.findAll('nav a').map((link) => link.text())).toEqual(['Mailbox', 'Shop', 'Console']);
  });

  it('is the not-found page when email goes to a real provider', async () => {
    routeFetch(fetchMock, {
      'GET /api/site': () =>
        jsonResponse(aSandboxSite({ sandbox: aSiteSandbox({ mailbox: false, shop: false }) })),
    });

    const page = await open();

    expect(page.get(byTestId('not-found-path')).text()).toBe('/sandbox/mail');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  describe('in production, for agents only', () => {
    const unauthorized = () =>
      jsonResponse({ statusCode: 401, code: ErrorCode.Unauthorized, message: 'Your session has ended' }, 401);
    let authorizations: (string | undefined)[];

    beforeEach(() => {
      authorizations = [];
    });

    function serveAgentsOnly(routes: Record<string, FetchRoute>): void {
      routeFetch(fetchMock, {
        'GET /api/site': () => jsonResponse(aSiteInfo({ sandbox: anAgentsOnlySandbox() })),
        ...routes,
      });
    }

    const recordAuthorization: FetchRoute = ({ init }) => {
      authorizations.push((init.headers as Record<string, string>).Authorization);
      return jsonResponse([anEmail()]);
    };

    it('sends a visitor to sign in first, then back to the mailbox, read with their token', async () => {
      let signedIn = false;
      serveAgentsOnly({
        'POST /api/auth/refresh': () => (signedIn ? jsonResponse(aSignIn()) : unauthorized()),
        'POST /api/auth/login': () => {
          signedIn = true;
          return jsonResponse(aSignIn({ accessToken: 'agent-token' }));
        },
        'GET /api/sandbox/emails': recordAuthorization,
      });

      const page = await open();

      expect(router.currentRoute.value.name).toBe('agent-login');
      expect(router.currentRoute.value.query.redirect).toBe('/sandbox/mail');
      expect(page.get(byTestId('login-notice')).text()).toContain('for signed-in agents');
      expect(authorizations).toEqual([]);

      await page.get(byTestId('login-email')).setValue('grace@example.com');
      await page.get(byTestId('login-password')).setValue('correct horse');
      await page.get('form').trigger('submit');
      await vi.waitFor(() => expect(page.find(byTestId('mail-item')).exists()).toBe(true));

      expect(router.currentRoute.value.fullPath).toBe('/sandbox/mail');
      expect(authorizations).toEqual(['Bearer agent-token']);
    });

    it('goes back to the sign-in page when the session ends, to come back here after', async () => {
      let ended = false;
      serveAgentsOnly({
        'POST /api/auth/refresh': () => (ended ? unauthorized() : jsonResponse(aSignIn())),
        'GET /api/sandbox/emails': (call) => (ended ? unauthorized() : recordAuthorization(call)),
      });
      const page = await open();
      expect(page.findAll(byTestId('mail-item'))).toHaveLength(1);

      // Disabled by an admin, say: the next poll is refused, and so is the refresh.
      ended = true;
      await useMailboxStore().refresh();
      await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('agent-login'));

      expect(router.currentRoute.value.query).toMatchObject({ redirect: '/sandbox/mail', reason: 'expired' });
    });

    it('refreshes an expired token once and reads the mailbox again', async () => {
      let refreshed = false;
      serveAgentsOnly({
        'POST /api/auth/refresh': () => {
          const answer = jsonResponse(aSignIn({ accessToken: refreshed ? 'fresh' : 'stale' }));
          refreshed = true;
          return answer;
        },
        'GET /api/sandbox/emails': (call) =>
          (call.init.headers as Record<string, string>).Authorization === 'Bearer stale'
            ? (authorizations.push('Bearer stale'), unauthorized())
            : recordAuthorization(call),
      });

      const page = await open();

      expect(page.findAll(byTestId('mail-item'))).toHaveLength(1);
      expect(authorizations).toEqual(['Bearer stale', 'Bearer fresh']);
    });
  });
});
