import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage, scrollsHorizontally } from './support/browser';
import { consoleTestEnv, eventually, phoneMessages, signInThroughConsole } from './support/console-app';
import { aCustomerNumber, openPhone } from './support/sandbox-pages';
import { aShopCustomer, placeOrder } from './support/shop';

/** The phone simulator polls every second; jobs and the sandbox's receipts take about as long. */
const ARRIVES_MS = 10_000;
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

let browser: Browser;
let app: RunningApp;

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startApp({ env: consoleTestEnv })]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const phoneText = (page: Page, text: string) => page.getByTestId('phone-message').filter({ hasText: text });

describe('chat alerts by SMS', () => {
  it('an agent confirms their mobile, goes on duty, and their phone gets one alert when a customer opens a chat', async () => {
    const mobile = aCustomerNumber();
    const console = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await signInThroughConsole(console, app);
    await expect(console.getByTestId('alerts-link').textContent()).resolves.toContain('Off duty');
    await console.getByTestId('alerts-link').click();
    await console.getByTestId('alerts-page').waitFor();

    // A mistyped number is refused beside the field; the right one gets a code.
    await console.getByTestId('mobile-input').fill('+1 202 555 0123');
    await console.getByTestId('send-code').click();
    await console.getByTestId('code-problem').getByText('SMS_ALLOWED_COUNTRIES').waitFor();
    await console.getByTestId('mobile-input').fill(mobile);
    await console.getByTestId('send-code').click();
    await console.getByTestId('code-input').waitFor();
    await console.getByTestId('code-sms').getByText('Code delivered.').waitFor({ timeout: ARRIVES_MS });

    // The agent's phone is the simulator: the code arrives there.
    const phonePage = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await openPhone(phonePage, app, mobile);
    const codeSms = phoneText(phonePage, 'is your');
    await codeSms.waitFor({ timeout: ARRIVES_MS });
    const code = (await codeSms.getByTestId('phone-message-body').textContent())!.slice(0, 6);

    await console.getByTestId('code-input').fill(code === '000000' ? '111111' : '000000');
    await console.getByTestId('confirm-code').click();
    await console.getByTestId('confirm-problem').getByText('code is not the one we sent').waitFor();
    await console.getByTestId('code-input').fill(code);
    await console.getByTestId('confirm-code').click();
    await console.getByTestId('mobile').getByText(mobile).waitFor();
    await console.getByTestId('on-duty').check();
    await console.getByTestId('alerts-link').getByText('On duty').waitFor();
    await expect(scrollsHorizontally(console)).resolves.toBe(false);
    if (SCREENSHOTS) await console.screenshot({ path: `${SCREENSHOTS}/alerts-390.png`, fullPage: true });

    // A customer opens their order's chat, then reloads it.
    const customer = await aShopCustomer(app, 'Dana Reyes');
    const order = await placeOrder(app, customer, [{ name: 'Red kettle', quantity: 1, unitPrice: 39 }]);
    const customerPage = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await customerPage.goto(order.chatUrl);
    await customerPage.getByTestId('chat-input').waitFor();

    const alert = phoneText(phonePage, 'is in the chat');
    await alert.waitFor({ timeout: ARRIVES_MS });
    await expect(alert.getByTestId('phone-message-body').textContent()).resolves.toMatch(
      new RegExp(`^Dana Reyes \\(order #${order.id}\\) is in the chat: http.*/agent/tickets/\\d+$`),
    );
    await customerPage.reload();
    await customerPage.getByTestId('chat-input').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await expect(alert.count()).resolves.toBe(1);
    if (SCREENSHOTS) await phonePage.screenshot({ path: `${SCREENSHOTS}/alerts-phone-390.png` });
    await eventually(
      async () =>
        (await phoneMessages(app, mobile.slice(1))).some((sms) => sms.status === 'delivered')
          ? true
          : undefined,
      'the alert delivered',
    );
  });
});
