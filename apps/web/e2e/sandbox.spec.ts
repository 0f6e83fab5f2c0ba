import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage } from './support/browser';
import { phoneMessages } from './support/console-app';
import {
  aCustomerNumber,
  clickForNewTab,
  emailChatLink,
  fitsScreen,
  handset,
  laptop,
  openPhone,
  placeDemoOrder,
  realProvidersEnv,
  reply,
  sandboxTestEnv,
  sentText,
  switchPhone,
  textFromPhone,
  ticketNumberIn,
  waitForStatus,
} from './support/sandbox-pages';
import { aShopCustomer, placeOrder } from './support/shop';

/** The sandbox's delivery receipt comes about a second after the send; the phone polls every second. */
const DELIVERY_MS = 10_000;
const SCREENSHOTS = process.env.SANDBOX_SCREENSHOTS;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
});

afterAll(async () => {
  await browser?.close();
});

/** With SANDBOX_SCREENSHOTS=<dir>: what the screen shows, and the whole page below it. */
async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-full.png`, fullPage: true });
}

describe('sandbox mode', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ env: sandboxTestEnv });
  });

  afterAll(async () => {
    await app?.stop();
  });

  describe('the phone simulator', () => {
    it('texts support through the webhook; the confirmation with the ticket number arrives with its ticks', async () => {
      const page = await openPage(browser, handset);
      await page.goto(`${app.baseUrl}/sandbox/phone`);
      await page.getByTestId('phone-picker').waitFor();
      await screenshot(page, 'phone-picker-375');
      await expect(fitsScreen(page)).resolves.toBe(true);
      const number = aCustomerNumber();
      await switchPhone(page, number);
      await page.getByTestId('phone-empty').waitFor();
      await screenshot(page, 'phone-empty-375');

      await textFromPhone(page, 'My parcel never arrived');

      await sentText(page, 'My parcel never arrived').waitFor();
      const confirmation = reply(page, 'Your ticket number is');
      await confirmation.waitFor();
      await waitForStatus(confirmation, 'delivered', DELIVERY_MS);
      await expect(confirmation.getByTestId('phone-delivery').textContent()).resolves.toContain('Delivered');
      const stored = await phoneMessages(app, number.slice(1));
      expect(stored.map((message) => [message.direction, message.body.slice(0, 20)])).toEqual([
        ['in', 'My parcel never arri'],
        ['out', 'Dear customer, your '],
      ]);
      await expect(ticketNumberIn(confirmation)).resolves.toBe(stored[0]!.ticketId);
      await expect(page.getByTestId('webhook-signed').textContent()).resolves.toContain('Not signed');
      await expect(page.getByTestId('webhook-answer').textContent()).resolves.toContain('204');
      await expect(fitsScreen(page)).resolves.toBe(true);
      await screenshot(page, 'phone-conversation-375');

      // A reload keeps the phone: the number is remembered.
      await page.reload();
      await sentText(page, 'My parcel never arrived').waitFor();
      await expect(page.getByTestId('phone-number').textContent()).resolves.toBe(
        number.replace(/^\+44(\d{4})(\d{6})$/, '+44 $1 $2'),
      );
    });

    it('sends a long text in parts, like a handset, and support gets it as one message', async () => {
      const page = await openPage(browser, laptop);
      const number = aCustomerNumber();
      await openPhone(page, app, number);
      const long = `My order arrived damaged. ${'The box was crushed and the widget inside is bent. '.repeat(7)}What now?`;
      expect(long.length).toBeGreaterThan(306);

      await textFromPhone(page, long);

      await sentText(page, long).waitFor();
      await expect(sentText(page, long).getByTestId('phone-message-parts').textContent()).resolves.toContain(
        'Sent as 3 SMS',
      );
      await expect(page.getByTestId('webhook-part').count()).resolves.toBe(3);
      await expect(page.getByTestId('webhook-answer').allTextContents()).resolves.toEqual(
        Array(3).fill('204 No Content'),
      );
      await reply(page, 'Your ticket number is').waitFor();
      const stored = await phoneMessages(app, number.slice(1));
      expect(stored.filter((message) => message.direction === 'in').map((message) => message.body)).toEqual([
        long,
      ]);
      await screenshot(page, 'phone-long-text-1280');
    });

    it('replays the last webhook: 204 again and nothing duplicates', async () => {
      const page = await openPage(browser, laptop);
      const number = aCustomerNumber();
      await openPhone(page, app, number);
      await textFromPhone(page, 'Is my refund through?');
      await reply(page, 'Your ticket number is').waitFor();
      const before = await phoneMessages(app, number.slice(1));

      await page.getByTestId('webhook-replay').click();

      const outcome = page.getByTestId('webhook-replay-outcome');
      await outcome.waitFor();
      await expect(page.getByTestId('webhook-replay-answer').textContent()).resolves.toContain(
        '204 No Content',
      );
      await expect(outcome.textContent()).resolves.toContain(
        'Nothing changed: the conversation still has 2 messages',
      );
      const after = await phoneMessages(app, number.slice(1));
      expect(after.map((message) => message.id)).toEqual(before.map((message) => message.id));
      await expect(sentText(page, 'Is my refund through?').count()).resolves.toBe(1);
      await screenshot(page, 'phone-replay-1280');
    });

    it('gets the HELP answer naming the company', async () => {
      const page = await openPage(browser, handset);
      await openPhone(page, app, aCustomerNumber());

      await textFromPhone(page, 'HELP');

      const help = reply(page, 'ACME Support: text your question to this number');
      await help.waitFor();
      await waitForStatus(help, 'delivered', DELIVERY_MS);
      await expect(reply(page, 'Your ticket number is').count(), 'a keyword opens no ticket').resolves.toBe(
        0,
      );
    });

    it('shows the failure of an SMS to the unreachable phone, with the reason', async () => {
      const page = await openPage(browser, handset);
      await page.goto(`${app.baseUrl}/sandbox/phone`);
      await page.locator('[data-testid="phone-preset"][data-number="+447700900666"]').click();
      await page.getByTestId('phone-unreachable').waitFor();

      await textFromPhone(page, 'Hello? Anyone?');

      const confirmation = reply(page, 'Your ticket number is');
      await waitForStatus(confirmation, 'failed', DELIVERY_MS);
      await expect(confirmation.getByTestId('phone-delivery').textContent()).resolves.toContain(
        'Not delivered',
      );
      await expect(confirmation.getByTestId('phone-delivery-reason').textContent()).resolves.toMatch(/\S/);
      await expect(fitsScreen(page)).resolves.toBe(true);
      await screenshot(page, 'phone-failed-375');
    });

    it('refuses a number that is not in international format', async () => {
      const page = await openPage(browser, handset);
      await page.goto(`${app.baseUrl}/sandbox/phone`);
      await page.getByTestId('phone-custom-number').fill('07700 900123');
      await page.getByTestId('phone-custom-use').click();
      await expect(page.getByTestId('phone-custom-problem').textContent()).resolves.toContain(
        'international format',
      );
      await expect(page.getByTestId('phone-picker').isVisible()).resolves.toBe(true);
    });
  });

  describe('the mailbox', () => {
    it("starts empty; an order's email shows up by itself, as its recipient sees it, and its chat link opens the chat", async () => {
      const page = await openPage(browser, laptop);
      await page.goto(`${app.baseUrl}/sandbox/mail`);
      await page.getByTestId('mail-empty').waitFor();
      await screenshot(page, 'mail-empty-1280');

      const customer = await aShopCustomer(app, 'Mabel Mailbox');
      const order = await placeOrder(app, customer, [{ name: 'Blue widget', quantity: 2, unitPrice: 4.99 }]);

      const item = page.locator(`[data-testid="mail-item"][data-order-id="${order.id}"]`);
      await item.waitFor({ timeout: DELIVERY_MS });
      await item.click();
      const viewer = page.getByTestId('mail-viewer');
      await expect(viewer.getByTestId('mail-order').textContent()).resolves.toBe(`#${order.id}`);
      await expect(viewer.getByTestId('mail-to').textContent()).resolves.toContain('Mabel Mailbox <');
      const frame = page.getByTestId('mail-frame');
      await expect(frame.getAttribute('sandbox')).resolves.toBe(
        'allow-popups allow-popups-to-escape-sandbox',
      );
      await expect(emailChatLink(page).getAttribute('href')).resolves.toBe(order.chatUrl);
      await screenshot(page, 'mail-html-1280');

      await page.getByTestId('mail-tab-text').click();
      const textLink = page.getByTestId('mail-text').getByRole('link');
      await expect(textLink.getAttribute('href')).resolves.toBe(order.chatUrl);
      await screenshot(page, 'mail-text-1280');
      await page.getByTestId('mail-tab-html').click();

      const chat = await clickForNewTab(page, emailChatLink(page));
      expect(chat.url()).toBe(order.chatUrl);
      await expect(chat.getByTestId('chat-heading').textContent()).resolves.toBe(`Order #${order.id}`);
      await chat.getByTestId('chat-input').waitFor();
    });

    it('fits a phone: the list, then the email with a way back', async () => {
      const customer = await aShopCustomer(app, 'Pocket Pete');
      const order = await placeOrder(app, customer);
      const page = await openPage(browser, handset);
      await page.goto(`${app.baseUrl}/sandbox/mail`);
      const item = page.locator(`[data-testid="mail-item"][data-order-id="${order.id}"]`);
      await item.waitFor({ timeout: DELIVERY_MS });
      await expect(page.getByTestId('mail-viewer').count()).resolves.toBe(0);
      await expect(fitsScreen(page)).resolves.toBe(true);
      await screenshot(page, 'mail-list-375');

      await item.click();
      await emailChatLink(page).waitFor();
      await expect(fitsScreen(page)).resolves.toBe(true);
      await screenshot(page, 'mail-email-375');
      await page.getByTestId('mail-back').click();
      await item.waitFor();
    });
  });

  describe('the demo shop', () => {
    it('places an order through the integration API; the mailbox opens on its email', async () => {
      const page = await openPage(browser, laptop);
      await page.goto(`${app.baseUrl}/sandbox/shop`);
      await page.getByTestId('shop-products').waitFor();
      await screenshot(page, 'shop-1280');
      const gadget = page.locator('[data-testid="shop-product"][data-sku="gadget"]');
      await gadget.getByTestId('shop-more').click();
      await gadget.getByTestId('shop-more').click();
      const email = await page.getByTestId('shop-email').inputValue();

      await page.getByTestId('shop-place-order').click();

      const placed = page.getByTestId('shop-order-placed');
      await placed.waitFor();
      const orderId = await placed.getAttribute('data-order-id');
      expect(orderId).toMatch(/^\d+$/);
      await page.getByTestId('shop-email-status').getByText('Email sent').waitFor({ timeout: DELIVERY_MS });
      await expect(page.getByTestId('shop-history-order').first().textContent()).resolves.toContain(
        '3 items · $52.99',
      );
      await expect(page.getByTestId('shop-open-chat').getAttribute('href')).resolves.toMatch(
        new RegExp(`/chat/\\d+/${orderId}\\?token=`),
      );
      await screenshot(page, 'shop-placed-1280');

      await page.getByTestId('shop-open-mailbox').click();

      const viewer = page.getByTestId('mail-viewer');
      await viewer.waitFor();
      await expect(viewer.getByTestId('mail-order').textContent()).resolves.toBe(`#${orderId}`);
      await expect(viewer.getByTestId('mail-to').textContent()).resolves.toContain(email);
    });

    it('places a second order for the same customer, and fits a phone', async () => {
      const page = await openPage(browser, handset);
      const first = await placeDemoOrder(page, app);
      await page.getByTestId('shop-customer').waitFor();

      await page.getByTestId('shop-place-order').click();

      await page.locator(`[data-testid="shop-order-placed"]:not([data-order-id="${first}"])`).waitFor();
      await page.getByTestId('shop-history-order').nth(1).waitFor();
      await expect(page.getByTestId('shop-history-order').count()).resolves.toBe(2);
      await expect(fitsScreen(page)).resolves.toBe(true);
      await screenshot(page, 'shop-placed-375');
    });
  });

  describe('the landing page', () => {
    it('links to the phone, the mailbox, the shop and the console', async () => {
      const page = await openPage(browser, handset);
      await page.goto(`${app.baseUrl}/`);
      const notice = page.getByTestId('sandbox-notice');
      await notice.waitFor();
      await screenshot(page, 'landing-375');
      await page.setViewportSize(laptop.viewport);
      await screenshot(page, 'landing-1280');
      await page.setViewportSize(handset.viewport);
      const links = await notice
        .getByRole('link')
        .evaluateAll((anchors) => anchors.map((anchor) => [anchor.textContent, anchor.getAttribute('href')]));
      expect(links).toEqual([
        ['Phone simulator', '/sandbox/phone'],
        ['Mailbox', '/sandbox/mail'],
        ['Demo shop', '/sandbox/shop'],
        ['Agent console', '/agent'],
      ]);

      await notice.getByRole('link', { name: 'Phone simulator' }).click();
      await page.getByTestId('phone-picker').waitFor();
      await page.getByTestId('sandbox-nav-mail').click();
      await page.getByRole('heading', { level: 1, name: 'Mailbox' }).waitFor();
      await page.getByTestId('sandbox-nav-shop').click();
      await page.getByRole('heading', { level: 1, name: 'Demo shop' }).waitFor();
      await page.getByTestId('sandbox-home').click();
      await notice.waitFor();
    });
  });
});

describe('with real providers configured', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ env: realProvidersEnv });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('serves no sandbox API', async () => {
    const site = (await (await fetch(`${app.baseUrl}/api/site`)).json()) as { sandbox: unknown };
    expect(site.sandbox).toBeNull();
    for (const path of [
      '/api/sandbox/emails',
      '/api/sandbox/phones/447700900001/messages',
      '/api/sandbox/integration-token',
    ]) {
      const response = await fetch(`${app.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
    }
    const sign = await fetch(`${app.baseUrl}/api/sandbox/sign-webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ params: { msisdn: '447700900001' } }),
    });
    expect(sign.status).toBe(404);
  });

  it('shows the not-found page at the sandbox pages, and the landing page has no sandbox links', async () => {
    const page = await openPage(browser, laptop);
    for (const path of ['/sandbox/phone', '/sandbox/mail', '/sandbox/shop']) {
      await page.goto(`${app.baseUrl}${path}`);
      await page.getByTestId('not-found').waitFor();
      await expect(page.getByTestId('not-found-path').textContent(), path).resolves.toBe(path);
      expect(new URL(page.url()).pathname, 'the address stays').toBe(path);
      await expect(page.getByTestId('phone').count()).resolves.toBe(0);
    }
    await screenshot(page, 'real-providers-not-found-1280');

    await page.goto(`${app.baseUrl}/`);
    await page.getByTestId('landing-heading').waitFor();
    await expect(page.getByTestId('sandbox-notice').count()).resolves.toBe(0);
    await expect(page.locator('a[href^="/sandbox/"]').count()).resolves.toBe(0);
  });
});
