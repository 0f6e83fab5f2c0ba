import type { Browser, Cookie, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage, scrollsHorizontally } from './support/browser';
import {
  aFailingPhoneNumber,
  aPhoneNumber,
  CONSOLE_AGENT,
  consoleTestEnv,
  DEMO_AGENT_NAME,
  eventually,
  inboxRow,
  phoneMessages,
  resolveTicketDaysAgo,
  signInThroughConsole,
  textSupport,
  threadMessage,
  ticketIdOf,
} from './support/console-app';
import { aShopCustomer, placeOrder } from './support/shop';

/** "Without reload": a pushed change shows within this. */
const LIVE_MS = 5_000;
/** The sandbox's delivery receipt comes about a second after the send. */
const DELIVERY_MS = 10_000;

const laptop = { viewport: { width: 1280, height: 800 } };
const tablet = { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, hasTouch: true };
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

let browser: Browser;
let app: RunningApp;

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startApp({ env: consoleTestEnv })]);
});

afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * Sign-in allows five tries a minute per address, and every test runs from 127.0.0.1: the tests sign
 * in through the form once, then carry the session on the way a browser does, in its refresh cookie.
 * Each console that opens rotates the cookie, so the newest one is kept for the next.
 */
let sessionCookie: Cookie | undefined;

async function signedInConsole(options = laptop, path = '/agent'): Promise<Page> {
  const page = await openPage(browser, options);
  if (sessionCookie) {
    await page.context().addCookies([sessionCookie]);
    await page.goto(`${app.baseUrl}${path}`);
    await page.getByTestId('console').waitFor();
  } else {
    await signInThroughConsole(page, app, path);
  }
  sessionCookie = (await page.context().cookies()).find((cookie) => cookie.name === 'sb_refresh');
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

/** Opens the ticket of `who` from the inbox, the way an agent would. */
async function openTicket(page: Page, who: string): Promise<string> {
  await inboxRow(page, who).click();
  await page.getByTestId('ticket-customer').getByText(who, { exact: true }).waitFor();
  return ticketIdOf(page);
}

async function ticketStatus(page: Page): Promise<string | null> {
  return page.getByTestId('ticket-status').textContent();
}

describe('signing in', () => {
  it('refuses a wrong password, signs in, survives a reload, comes back to the asked page, signs out', async () => {
    const page = await openPage(browser, laptop);
    await page.goto(`${app.baseUrl}/agent/tickets/123456`);
    await page.waitForURL(/\/agent\/login\?redirect=/);

    await page.getByTestId('login-email').fill(CONSOLE_AGENT.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-password').press('Enter');
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('Wrong email or password');
    await screenshot(page, 'login-error-1280');

    await page.getByTestId('login-password').fill(CONSOLE_AGENT.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/agent\/tickets\/123456$/);
    await expect(page.getByTestId('ticket-error').textContent()).resolves.toContain('No ticket #123456');
    await expect(page.getByTestId('agent-name').textContent()).resolves.toContain(DEMO_AGENT_NAME);

    await page.reload();
    await page.getByTestId('console').waitFor();
    expect(new URL(page.url()).pathname).toBe('/agent/tickets/123456');

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/agent\/login/);
    await page.goto(`${app.baseUrl}/agent`);
    await page.waitForURL(/\/agent\/login\?redirect=/);
  });
});

describe('SMS tickets', () => {
  it('shows an inbound SMS live; the reply reaches the phone and its tick turns to delivered', async () => {
    const page = await signedInConsole();
    const phone = aPhoneNumber();

    await textSupport(app, phone, 'My parcel never arrived');

    const row = inboxRow(page, `+${phone}`);
    await row.waitFor({ timeout: LIVE_MS });
    await expect(row.getByTestId('unread-badge').textContent()).resolves.toBe('1');
    await expect(row.getByTestId('inbox-row-preview').textContent()).resolves.toContain(
      'Your ticket number is',
    );

    await openTicket(page, `+${phone}`);
    await threadMessage(page, 'My parcel never arrived').waitFor();
    await row.getByTestId('unread-badge').waitFor({ state: 'detached', timeout: LIVE_MS });

    const composer = page.getByTestId('reply-input');
    await page.keyboard.press('r');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('reply-composer');
    await composer.fill('Sorry! 😀');
    await page.getByTestId('unicode-warning').waitFor();
    await screenshot(page, 'composer-unicode-1280');
    await composer.fill(`We are on it: ${'x'.repeat(150)}`);
    await expect(page.getByTestId('composer-count').textContent()).resolves.toContain('2 SMS');
    await expect(page.getByTestId('unicode-warning').count()).resolves.toBe(0);
    const reply = 'We are looking into it right now.';
    await composer.fill(reply);
    await composer.press('Control+Enter');

    const sent = threadMessage(page, reply);
    await sent.waitFor();
    await eventually(
      async () => (await sent.getAttribute('data-status')) === 'delivered',
      'the tick to turn to delivered',
      DELIVERY_MS,
    );
    await expect(sent.getByTestId('delivery').textContent()).resolves.toContain('Delivered');
    const received = await phoneMessages(app, phone);
    expect(received.filter((m) => m.direction === 'out').map((m) => [m.body, m.status])).toContainEqual([
      reply,
      'delivered',
    ]);
    await screenshot(page, 'sms-ticket-1280');
  });

  it('resolves; a "thanks" leaves it resolved, a new question reopens it, after the window a new ticket opens', async () => {
    const page = await signedInConsole();
    const phone = aPhoneNumber();
    await textSupport(app, phone, 'Can I change my delivery address?');
    await inboxRow(page, `+${phone}`).waitFor({ timeout: LIVE_MS });
    const ticketId = await openTicket(page, `+${phone}`);
    await page.getByTestId('assign-to-me').click();
    await page.getByTestId('thread-event').getByText(`${DEMO_AGENT_NAME} took the ticket`).waitFor();
    await page.getByTestId('filter-assignee').selectOption('me');
    await inboxRow(page, `+${phone}`).waitFor();
    await page.getByTestId('filter-assignee').selectOption('anyone');

    await page.getByTestId('resolve').click();
    await page.getByTestId('reopen').waitFor();
    await expect(ticketStatus(page)).resolves.toBe('Resolved');
    // The default inbox shows unresolved tickets: this one leaves the list.
    await inboxRow(page, `+${phone}`).waitFor({ state: 'detached', timeout: LIVE_MS });

    await textSupport(app, phone, 'thanks');
    await threadMessage(page, 'thanks').waitFor({ timeout: LIVE_MS });
    await expect(ticketStatus(page)).resolves.toBe('Resolved');

    await textSupport(app, phone, 'Actually, one more question about the invoice');
    await threadMessage(page, 'Actually, one more question about the invoice').waitFor({ timeout: LIVE_MS });
    await page.getByTestId('ticket-status').getByText('Open', { exact: true }).waitFor({ timeout: LIVE_MS });
    await page.getByTestId('thread-event').getByText('Reopened: the customer wrote again').waitFor();
    await inboxRow(page, `+${phone}`).waitFor({ timeout: LIVE_MS });

    await page.getByTestId('resolve').click();
    await page.getByTestId('reopen').waitFor();
    await inboxRow(page, `+${phone}`).waitFor({ state: 'detached', timeout: LIVE_MS });
    await resolveTicketDaysAgo(app, ticketId, 30);
    await textSupport(app, phone, 'Hello again, a different problem');

    const row = inboxRow(page, `+${phone}`);
    await row.waitFor({ timeout: LIVE_MS });
    const newTicketHref = await row.getAttribute('href');
    expect(newTicketHref).not.toBe(`/agent/tickets/${ticketId}`);
    await expect(ticketStatus(page)).resolves.toBe('Resolved');
    await expect(threadMessage(page, 'Hello again, a different problem').count()).resolves.toBe(0);

    // One unresolved SMS ticket per customer: the old one cannot be reopened beside the new one.
    await page.getByTestId('reopen').click();
    await page.getByTestId('toast').filter({ hasText: 'Could not reopen the ticket' }).waitFor();
    await expect(ticketStatus(page)).resolves.toBe('Resolved');
  });

  it('shows why an SMS failed and resends it for real', async () => {
    const page = await signedInConsole();
    const phone = aFailingPhoneNumber();
    await textSupport(app, phone, 'Is anyone there?');
    await inboxRow(page, `+${phone}`).waitFor({ timeout: LIVE_MS });
    await openTicket(page, `+${phone}`);

    const failed = page
      .getByTestId('thread-message')
      .filter({ has: page.getByTestId('resend') })
      .first();
    await failed.waitFor({ timeout: DELIVERY_MS });
    await expect(failed.getAttribute('data-status')).resolves.toBe('failed');
    await expect(failed.getByTestId('delivery-error').textContent()).resolves.toMatch(/\S/);
    const before = (await phoneMessages(app, phone)).filter((m) => m.direction === 'out').length;
    await screenshot(page, 'sms-failed-1280');

    await failed.getByTestId('resend').click();

    await failed.getByTestId('resend').getByText('Resent below').waitFor();
    const confirmations = page.getByTestId('thread-message').filter({ hasText: 'Your ticket number is' });
    await confirmations.nth(1).waitFor();
    await expect(confirmations.nth(1).textContent(), 'resent by the agent').resolves.toContain(
      DEMO_AGENT_NAME,
    );
    await eventually(
      async () =>
        (await phoneMessages(app, phone)).filter((m) => m.direction === 'out').length === before + 1,
      'the resent SMS in the provider',
    );
  });

  it('turns the SMS composer off with a banner once the customer texts STOP', async () => {
    const page = await signedInConsole();
    const phone = aPhoneNumber();
    await textSupport(app, phone, 'Where is my refund?');
    await inboxRow(page, `+${phone}`).waitFor({ timeout: LIVE_MS });
    await openTicket(page, `+${phone}`);
    await page.getByTestId('reply-input').fill('Checking now');

    await textSupport(app, phone, 'STOP');

    await page.getByTestId('opted-out-banner').waitFor({ timeout: LIVE_MS });
    await expect(page.getByTestId('opted-out-banner').textContent()).resolves.toContain('STOP');
    await expect(page.getByTestId('reply-input').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('reply-send').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'opted-out-1280');
  });
});

describe('order chats', () => {
  it('notifies the agent when the customer opens the chat, and they talk about the order live', async () => {
    const page = await signedInConsole();
    const customer = await aShopCustomer(app, 'Chatty Cathy');
    const order = await placeOrder(app, customer, [{ name: 'Blue widget', quantity: 2, unitPrice: 4.99 }]);

    const customerPage = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await customerPage.goto(order.chatUrl);
    await customerPage.getByTestId('chat-input').waitFor();

    const toast = page.getByTestId('toast').filter({ hasText: 'Chatty Cathy opened the chat' });
    await toast.waitFor({ timeout: LIVE_MS });
    await expect(toast.textContent()).resolves.toContain(`About order #${order.id}`);
    await screenshot(page, 'chat-opened-toast-1280');
    await toast.getByRole('link', { name: 'Open chat' }).click();
    await page.getByTestId('ticket-customer').getByText('Chatty Cathy').waitFor();
    const panel = page.locator('aside').getByTestId('order-panel');
    await expect(panel.textContent()).resolves.toContain(`Order #${order.id}`);
    await expect(panel.getByTestId('order-total').textContent()).resolves.toBe('$9.98');

    await customerPage.getByTestId('chat-input').fill('Hi, has my widget shipped?');
    await customerPage.getByTestId('chat-input').press('Enter');
    await threadMessage(page, 'Hi, has my widget shipped?').waitFor({ timeout: LIVE_MS });
    // A chat with only the order in it waits as pending; the customer's first message opens it.
    await page.getByTestId('ticket-status').getByText('Open', { exact: true }).waitFor({ timeout: LIVE_MS });

    await page.getByTestId('reply-input').fill('Yes, it left the warehouse this morning.');
    await page.getByTestId('reply-input').press('Control+Enter');
    await customerPage.getByText('Yes, it left the warehouse this morning.').waitFor({ timeout: LIVE_MS });
    await threadMessage(page, 'Yes, it left the warehouse this morning.').waitFor();
    await eventually(
      async () =>
        (await threadMessage(page, 'Yes, it left the warehouse this morning.').getAttribute(
          'data-status',
        )) === 'seen',
      'the customer to have seen the reply',
      LIVE_MS,
    );
    await screenshot(page, 'chat-ticket-1280');
  });
});

describe('layout and keyboard', () => {
  it('works from the keyboard: j/k, Enter, r, Ctrl+Enter, Esc', async () => {
    const page = await signedInConsole();
    const phones = [aPhoneNumber(), aPhoneNumber()];
    for (const phone of phones) await textSupport(app, phone, `Keyboard test from ${phone}`);
    await inboxRow(page, `+${phones[1]}`).waitFor({ timeout: LIVE_MS });

    await page.locator('body').press('j');
    const focusedHref = () => page.evaluate(() => document.activeElement?.getAttribute('href') ?? null);
    const first = await focusedHref();
    expect(first).toMatch(/^\/agent\/tickets\/\d+$/);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect(focusedHref()).resolves.toBe(first);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`${first}$`));
    await page.getByTestId('ticket-header').waitFor();

    await page.keyboard.press('r');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Control+Enter');
    await threadMessage(page, 'Typed without a mouse').waitFor();

    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/agent$/);
    await expect(focusedHref()).resolves.toBe(first);
  });

  it('fits a laptop side by side and a tablet one pane at a time, without sideways scrolling', async () => {
    const phone = aPhoneNumber();
    await textSupport(
      app,
      phone,
      'Layout check: a fairly long message to see how the thread wraps on smaller screens.',
    );

    const wide = await signedInConsole(laptop);
    await inboxRow(wide, `+${phone}`).waitFor({ timeout: LIVE_MS });
    await screenshot(wide, 'inbox-1280');
    await openTicket(wide, `+${phone}`);
    await expect(wide.getByTestId('inbox').isVisible()).resolves.toBe(true);
    await expect(scrollsHorizontally(wide)).resolves.toBe(false);

    const narrow = await signedInConsole(tablet);
    await inboxRow(narrow, `+${phone}`).waitFor({ timeout: LIVE_MS });
    await screenshot(narrow, 'inbox-820');
    await expect(narrow.getByTestId('no-ticket').isVisible()).resolves.toBe(false);
    await openTicket(narrow, `+${phone}`);
    await expect(narrow.getByTestId('inbox').isVisible()).resolves.toBe(false);
    await expect(scrollsHorizontally(narrow)).resolves.toBe(false);
    await screenshot(narrow, 'sms-ticket-820');
    await narrow.getByRole('link', { name: 'Back to the inbox' }).click();
    await narrow.getByTestId('inbox').waitFor();

    const customer = await aShopCustomer(app, 'Tablet Tom');
    const order = await placeOrder(app, customer, [
      { name: 'A rather long product name that needs to wrap', quantity: 1, unitPrice: 129.5 },
      { name: 'Gadget', quantity: 3, unitPrice: 2 },
    ]);
    await narrow.goto(`${app.baseUrl}/agent`);
    await inboxRow(narrow, 'Tablet Tom').waitFor();
    await openTicket(narrow, 'Tablet Tom');
    await narrow.getByTestId('order-strip').locator('summary').click();
    await expect(narrow.getByTestId('order-strip').textContent()).resolves.toContain(`Order #${order.id}`);
    await expect(scrollsHorizontally(narrow)).resolves.toBe(false);
    await screenshot(narrow, 'chat-ticket-820');

    await wide.getByTestId('inbox-search').fill('no ticket says this');
    await wide.getByTestId('inbox-empty').waitFor();
    await screenshot(wide, 'inbox-empty-1280');
  });
});
