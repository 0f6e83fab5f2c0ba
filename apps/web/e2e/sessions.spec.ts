import type { Browser, Cookie, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage, scrollsHorizontally } from './support/browser';
import {
  consoleTestEnv,
  createAgent,
  inboxRow,
  signInThroughConsole,
  type NewAgent,
} from './support/console-app';
import { aShopCustomer, placeOrder } from './support/shop';

/** The bound for a session that ends: the other browser shows it within this. */
const ENDED_MS = 5_000;

const laptop = { viewport: { width: 1280, height: 800 } };
const handset = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
const SCREENSHOTS = process.env.SESSIONS_SCREENSHOTS;

/** A second agent, made by an operator with `pnpm agent:create`; the demo agent is the admin. */
const ADA: NewAgent = {
  email: 'ada@switchboard.example',
  name: 'Ada Lovelace',
  password: 'ada-e2e-password',
};

let browser: Browser;
let app: RunningApp;

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startApp({ env: consoleTestEnv })]);
  await createAgent(app, ADA);
});

afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

/**
 * Sign-in allows five tries a minute per address, and every test signs in from 127.0.0.1: the admin
 * signs in through the form once, and later consoles carry that sign-in on in its refresh cookie (the
 * newest one, as it rotates on every use), the way one browser would.
 */
let adminCookie: Cookie | undefined;

async function adminConsole(options = laptop, path = '/agent'): Promise<Page> {
  const page = await openPage(browser, options);
  if (adminCookie) {
    await page.context().addCookies([adminCookie]);
    await page.goto(`${app.baseUrl}${path}`);
    await page.getByTestId('console').waitFor();
  } else {
    await signInThroughConsole(page, app, path);
  }
  adminCookie = (await page.context().cookies()).find((cookie) => cookie.name === 'sb_refresh');
  return page;
}

async function signInAs(page: Page, agent: { email: string; password: string }): Promise<void> {
  await page.goto(`${app.baseUrl}/agent`);
  await page.getByTestId('login-email').fill(agent.email);
  await page.getByTestId('login-password').fill(agent.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console').waitFor();
  await page.locator('[data-testid="live-state"]').getByText('Live', { exact: true }).waitFor();
}

/** Milliseconds from `start` until `locator` shows. */
async function msUntilShown(start: number, locator: ReturnType<Page['getByTestId']>): Promise<number> {
  await locator.waitFor({ timeout: ENDED_MS + 5_000 });
  return Date.now() - start;
}

describe('sessions that end', () => {
  it("withdrawing a customer's chat links closes their open chat to the withdrawn-link message", async () => {
    const customer = await aShopCustomer(app, 'Wendy Wrongmail');
    const order = await placeOrder(app, customer);
    const chat = await openPage(browser, handset);
    await chat.goto(order.chatUrl);
    await chat
      .locator('[data-testid="connection-banner"][data-connection="online"]')
      .waitFor({ state: 'attached' });
    const agent = await adminConsole();
    await inboxRow(agent, 'Wendy Wrongmail').click();
    const links = agent.locator('aside').getByTestId('chat-links');
    await links.getByTestId('withdraw-chat-links').click();
    await expect(links.getByTestId('withdraw-confirm').textContent()).resolves.toContain(
      'Their open chat closes now',
    );
    await screenshot(agent, 'withdraw-confirm-1280');

    const start = Date.now();
    await links.getByTestId('withdraw-chat-links-confirm').click();

    const withdrawn = chat.getByTestId('chat-revoked');
    expect(await msUntilShown(start, withdrawn), 'the chat closes within 5 s').toBeLessThanOrEqual(ENDED_MS);
    await expect(withdrawn.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'This chat link was withdrawn',
    );
    await expect(withdrawn.textContent()).resolves.toContain('latest order email');
    await expect(chat.getByTestId('chat-input').count()).resolves.toBe(0);
    await expect(scrollsHorizontally(chat)).resolves.toBe(false);
    await screenshot(chat, 'chat-withdrawn-390');
    await agent.getByTestId('toast').filter({ hasText: 'Chat links withdrawn' }).waitFor();

    // The same link, opened again, stays withdrawn; the next order's email brings a working one.
    await chat.goto(order.chatUrl);
    await chat.getByTestId('chat-revoked').waitFor();
    const next = await placeOrder(app, customer);
    await chat.goto(next.chatUrl);
    await chat.getByTestId('chat-input').waitFor();
  });

  it("an admin disabling an agent sends that agent's open console to the sign-in page", async () => {
    const ada = await openPage(browser, laptop);
    await signInAs(ada, ADA);
    // The admin works from a phone: the team page is in the header's reach at 390 px.
    const admin = await adminConsole(handset);
    await admin.getByTestId('team-link').click();
    const member = admin.getByTestId('team-member').filter({ hasText: ADA.email });
    await member.waitFor();
    await expect(scrollsHorizontally(admin), 'the team page fits 390 px').resolves.toBe(false);
    const signOut = await admin.getByTestId('sign-out').boundingBox();
    expect(signOut!.x + signOut!.width, 'the header fits 390 px').toBeLessThanOrEqual(390);
    await member.getByTestId('team-disable').click();
    await screenshot(admin, 'team-disable-confirm-390');

    const start = Date.now();
    await member.getByTestId('team-disable-confirm').click();

    const notice = ada.getByTestId('login-notice');
    expect(await msUntilShown(start, notice), 'signed out within 5 s').toBeLessThanOrEqual(ENDED_MS);
    await expect(notice.textContent()).resolves.toContain('Your session was ended');
    await member.getByTestId('team-member-disabled').waitFor();
    await screenshot(admin, 'team-disabled-390');

    // Enabled again: the next test signs her in.
    await member.getByTestId('team-enable').click();
    await member.getByTestId('team-disable').waitFor();
  });

  it('signing out ends that sign-in in every tab, and leaves the agent’s other sign-ins alone', async () => {
    const first = await openPage(browser, laptop);
    await signInAs(first, ADA);
    const second = await first.context().newPage();
    await second.goto(`${app.baseUrl}/agent`);
    await second.locator('[data-testid="live-state"]').getByText('Live', { exact: true }).waitFor();
    const elsewhere = await openPage(browser, laptop);
    await signInAs(elsewhere, ADA);

    const start = Date.now();
    await first.getByTestId('sign-out').click();

    const notice = second.getByTestId('login-notice');
    expect(await msUntilShown(start, notice), 'the other tab within 5 s').toBeLessThanOrEqual(ENDED_MS);
    await expect(notice.textContent()).resolves.toMatch(/signed out in another (tab|window)/);
    await first.getByTestId('login-form').waitFor();
    // Longer than every instance takes to learn of a revocation: the other browser is still signed in.
    await elsewhere.waitForTimeout(3_000);
    await expect(elsewhere.getByTestId('console').isVisible()).resolves.toBe(true);
    await expect(elsewhere.getByTestId('live-state').textContent()).resolves.toContain('Live');
    await elsewhere.reload();
    await elsewhere.getByTestId('console').waitFor();
  });
});
