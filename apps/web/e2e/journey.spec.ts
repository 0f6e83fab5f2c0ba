import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage } from './support/browser';
import {
  inboxRow,
  phoneMessages,
  signInThroughConsole,
  threadMessage,
  ticketIdOf,
} from './support/console-app';
import {
  aCustomerNumber,
  clickForNewTab,
  emailChatLink,
  handset,
  laptop,
  reply,
  sentText,
  signedSandboxTestEnv,
  switchPhone,
  textFromPhone,
  ticketNumberIn,
  waitForStatus,
} from './support/sandbox-pages';

/** A pushed change (socket or the phone's one-second poll) shows within this. */
const LIVE_MS = 5_000;
/** The sandbox's delivery receipt comes about a second after the send. */
const DELIVERY_MS = 10_000;
const SCREENSHOTS = process.env.SANDBOX_SCREENSHOTS;

let browser: Browser;
let app: RunningApp;

beforeAll(async () => {
  // Signing on: the phone's webhooks must go through the server's signer to be accepted at all.
  [browser, app] = await Promise.all([launchBrowser(), startApp({ env: signedSandboxTestEnv })]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/journey-${name}.png` });
}

describe('trying every flow without accounts', () => {
  it('phone → ticket and confirmation → agent reply on the phone; shop order → mailbox → chat with the agent', async () => {
    // Three people, three browsers: the customer's phone, the agent at a laptop, the customer at a computer.
    const phone = await openPage(browser, handset);
    const agent = await openPage(browser, laptop);
    const customer = await openPage(browser, laptop);

    // The landing page leads to the phone simulator.
    await phone.goto(`${app.baseUrl}/`);
    await phone.getByTestId('sandbox-link-phone').click();
    const number = aCustomerNumber();
    await switchPhone(phone, number);

    // The customer texts support: a signed webhook, a ticket, and the confirmation with its number.
    await textFromPhone(phone, 'Hi, my widget arrived broken');
    await sentText(phone, 'Hi, my widget arrived broken').waitFor({ timeout: LIVE_MS });
    const confirmation = reply(phone, 'Your ticket number is');
    await confirmation.waitFor({ timeout: LIVE_MS });
    await waitForStatus(confirmation, 'delivered', DELIVERY_MS);
    const ticket = await ticketNumberIn(confirmation);
    await expect(phone.getByTestId('webhook-signed').textContent()).resolves.toContain('Signed');
    await screenshot(phone, 'phone-confirmation-375');

    // The same signed webhook again (Vonage retrying it): the API knows the message, and nothing is stored twice.
    await phone.getByTestId('webhook-replay').click();
    await phone.getByTestId('webhook-replay-outcome').waitFor();
    await expect(phone.getByTestId('webhook-replay-answer').textContent()).resolves.toMatch(
      /204 No Content|Refused with 401/,
    );
    await expect(phone.getByTestId('webhook-replay-outcome').textContent()).resolves.toContain(
      'Nothing changed',
    );
    expect((await phoneMessages(app, number.slice(1))).length).toBe(2);

    // The agent finds the ticket in the console and replies.
    await signInThroughConsole(agent, app);
    await inboxRow(agent, number).click();
    await agent.getByTestId('ticket-customer').getByText(number, { exact: true }).waitFor();
    expect(ticketIdOf(agent)).toBe(ticket);
    await threadMessage(agent, 'Hi, my widget arrived broken').waitFor();
    const answer = 'Sorry about that! A replacement is on its way today.';
    await agent.getByTestId('reply-input').fill(answer);
    await agent.getByTestId('reply-input').press('Control+Enter');
    await threadMessage(agent, answer).waitFor();

    // The phone gets the reply, and its ticks turn to delivered.
    const agentReply = reply(phone, answer);
    await agentReply.waitFor({ timeout: LIVE_MS });
    await waitForStatus(agentReply, 'delivered', DELIVERY_MS);
    await screenshot(phone, 'phone-agent-reply-375');

    // The shop: one click places the order.
    await customer.goto(`${app.baseUrl}/sandbox/shop`);
    const customerName = await customer.getByTestId('shop-name').inputValue();
    await customer.getByTestId('shop-place-order').click();
    const placed = customer.getByTestId('shop-order-placed');
    await placed.waitFor();
    const orderId = await placed.getAttribute('data-order-id');

    // Two: the mailbox opens on the order's confirmation.
    await customer.getByTestId('shop-open-mailbox').click();
    const viewer = customer.locator('[data-testid="mail-viewer"]');
    await viewer
      .getByTestId('mail-order')
      .getByText(`#${orderId}`, { exact: true })
      .waitFor({ timeout: DELIVERY_MS });
    await screenshot(customer, 'mailbox-1280');

    // Three: the email's link opens the order's live chat.
    const chat = await clickForNewTab(customer, emailChatLink(customer));
    await expect(chat.getByTestId('chat-heading').textContent()).resolves.toBe(`Order #${orderId}`);
    await chat.getByTestId('chat-input').fill('Has my order shipped yet?');
    await chat.getByTestId('chat-input').press('Enter');

    // The agent sees the chat and answers; the customer sees it live.
    await inboxRow(agent, customerName).click();
    await threadMessage(agent, 'Has my order shipped yet?').waitFor({ timeout: LIVE_MS });
    await agent.getByTestId('reply-input').fill('Yes, it left the warehouse this morning.');
    await agent.getByTestId('reply-input').press('Control+Enter');
    await chat.getByText('Yes, it left the warehouse this morning.').waitFor({ timeout: LIVE_MS });
    await screenshot(chat, 'chat-1280');
    await screenshot(agent, 'console-1280');
  });
});
