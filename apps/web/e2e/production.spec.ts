import type { Browser, Cookie, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage } from './support/browser';
import { CONSOLE_AGENT, consoleTestEnv } from './support/console-app';
import { fitsScreen, handset, laptop } from './support/sandbox-pages';
import { aShopCustomer, placeOrder, TEST_API_TOKEN } from './support/shop';

/**
 * Production with SANDBOX=true: the sandbox stands in for the missing providers, for signed-in agents
 * only, and the integration token is never served. PUBLIC_URL is not this machine's address (production
 * refuses a loopback one); the browser still talks to the app on 127.0.0.1.
 */
const productionEnv: Record<string, string> = {
  ...consoleTestEnv,
  SANDBOX: 'true',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'http://support.switchboard.example',
  VONAGE_ALLOW_UNSIGNED: 'true',
};

let browser: Browser;
let app: RunningApp;

beforeAll(async () => {
  [browser, app] = await Promise.all([
    launchBrowser(),
    startApp({ env: productionEnv, nodeEnv: 'production' }),
  ]);
});

afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The agent's sign-in, carried from test to test in its refresh cookie (it rotates on every use). */
let agentCookie: Cookie | undefined;

async function keepSignIn(page: Page): Promise<void> {
  agentCookie = (await page.context().cookies()).find((cookie) => cookie.name === 'sb_refresh');
}

async function signIn(page: Page): Promise<void> {
  await page.getByTestId('login-email').fill(CONSOLE_AGENT.email);
  await page.getByTestId('login-password').fill(CONSOLE_AGENT.password);
  await page.getByTestId('login-submit').click();
}

/** A sandbox page as the signed-in agent: the kept sign-in, or the form when there is none yet. */
async function asAgent(page: Page, path: string): Promise<void> {
  if (agentCookie) await page.context().addCookies([agentCookie]);
  await page.goto(`${app.baseUrl}${path}`);
  if (!agentCookie) await signIn(page);
  await page.getByTestId('sandbox-nav-console').waitFor();
  await keepSignIn(page);
}

describe('production with SANDBOX=true', () => {
  it('sends an anonymous visitor of the mailbox to sign in, then shows the mailbox', async () => {
    const customer = await aShopCustomer(app, 'Petra Production');
    const order = await placeOrder(app, customer);
    const page = await openPage(browser, handset);

    await page.goto(`${app.baseUrl}/sandbox/mail`);

    await page.getByTestId('login-form').waitFor();
    await expect(page.getByTestId('login-notice').textContent()).resolves.toContain('for signed-in agents');
    await expect(
      page.getByTestId('demo-agent-hint').count(),
      'no demo-agent hint in production',
    ).resolves.toBe(0);
    await signIn(page);

    await page.locator(`[data-testid="mail-item"][data-order-id="${order.id}"]`).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sandbox/mail');
    await expect(page.getByTestId('sandbox-nav-console').isVisible()).resolves.toBe(true);
    await expect(fitsScreen(page)).resolves.toBe(true);
    await keepSignIn(page);
  });

  it('points the public at no sandbox from the landing page', async () => {
    const page = await openPage(browser, handset);

    await page.goto(`${app.baseUrl}/`);

    await page.getByTestId('landing-heading').waitFor();
    await expect(page.getByTestId('sandbox-notice').count()).resolves.toBe(0);
    await expect(page.locator('a[href^="/sandbox/"]').count()).resolves.toBe(0);
  });

  it('has the demo shop ask for the integration token, and say plainly when it is wrong', async () => {
    const page = await openPage(browser, laptop);
    await asAgent(page, '/sandbox/shop');
    const token = page.getByTestId('shop-token');
    await token.waitFor();
    await expect(token.getByTestId('shop-token-help').textContent()).resolves.toContain(
      'never serves its integration token',
    );

    await page.getByTestId('shop-token-input').fill('not-the-token');
    await page.getByTestId('shop-place-order').click();

    await expect(page.getByTestId('shop-token-problem').textContent()).resolves.toBe(
      'Switchboard refused this token (401): The integration token is not valid',
    );

    await page.getByTestId('shop-token-input').fill(TEST_API_TOKEN);
    await page.getByTestId('shop-place-order').click();
    await page.getByTestId('shop-order-placed').waitFor();
  });
});
