import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage, phone, scrollsHorizontally } from './support/browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function smsLinkHref(page: Page): Promise<string | null> {
  return page.getByRole('link', { name: 'Get support via SMS', exact: true }).getAttribute('href');
}

describe('landing page with the default configuration', () => {
  let app: RunningApp;

  beforeAll(async () => {
    // At `info`, as a fresh checkout logs: the demo agent's generated password is in the start-up log.
    app = await startApp({ env: { LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('shows "ACME Support" and an SMS link to the sandbox number with the greeting typed in', async () => {
    const page = await openPage(browser);

    await page.goto(`${app.baseUrl}/`);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('ACME Support');
    await expect(smsLinkHref(page)).resolves.toBe(
      "sms:+447700900000?body=Hi%20ACME%2C%20I'd%20like%20some%20help%20with%3A%20",
    );
    await expect(page.getByTestId('support-number').textContent()).resolves.toBe('+447700900000');
    await expect(page.title()).resolves.toBe('ACME Support');
    await expect(page.getByTestId('sandbox-notice').isVisible(), 'sandbox notice').resolves.toBe(true);
    await page.context().close();
  });

  it('fits a phone screen without horizontal scrolling', async () => {
    for (const width of [375, 360]) {
      const page = await openPage(browser, { ...phone, viewport: { width, height: 667 } });
      await page.goto(`${app.baseUrl}/`);
      await page.getByRole('link', { name: 'Get support via SMS' }).waitFor();

      await expect(scrollsHorizontally(page), `${width} px wide`).resolves.toBe(false);
      const button = await page.getByRole('link', { name: 'Get support via SMS' }).boundingBox();
      expect(button, 'the SMS button is laid out').not.toBeNull();
      expect(button!.x + button!.width).toBeLessThanOrEqual(width);
      expect(button!.height, 'the SMS button is easy to tap').toBeGreaterThanOrEqual(44);
      await page.context().close();
    }
  });

  it('tells a newcomer at the sign-in page how to get in as the demo agent, which works', async () => {
    const page = await openPage(browser, { ...phone, viewport: { width: 390, height: 844 } });
    await page.goto(`${app.baseUrl}/agent`);
    const hint = page.getByTestId('demo-agent-hint');

    await expect(hint.getByTestId('demo-agent-email').textContent()).resolves.toBe('agent@switchboard.local');
    await expect(hint.getByTestId('demo-agent-password').textContent()).resolves.toContain(
      'printed in the start-up log the first time Switchboard started',
    );
    await expect(hint.getByTestId('demo-agent-reset').textContent()).resolves.toContain('AGENT_PASSWORD=');
    await expect(scrollsHorizontally(page), '390 px wide').resolves.toBe(false);
    await hint.getByRole('button', { name: 'Use this email' }).click();
    const password = /demo agent agent@switchboard\.local, password (\S+) \(shown only this once\)/.exec(
      app.output(),
    )?.[1];
    expect(password, 'the password in the start-up log').toBeDefined();
    await page.getByTestId('login-password').fill(password!);
    await page.getByTestId('login-submit').click();

    await page.getByTestId('console').waitFor();
    await page.context().close();
  });

  it('answers a deep link with the app, which shows the not-found page', async () => {
    const page = await openPage(browser);

    const response = await page.goto(`${app.baseUrl}/no/such/page`);

    expect(response?.headers()['content-type']).toContain('text/html');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await page.getByRole('heading', { name: 'ACME Support' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.context().close();
  });
});

describe('landing page with a company name and number configured', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ env: { SUPPORT_COMPANY_NAME: 'Globex', VONAGE_NUMBER: '15551234567' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("shows the company's name and texts its number", async () => {
    const page = await openPage(browser, phone);

    await page.goto(`${app.baseUrl}/`);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Globex Support');
    await expect(smsLinkHref(page)).resolves.toBe(
      "sms:+15551234567?body=Hi%20Globex%2C%20I'd%20like%20some%20help%20with%3A%20",
    );
    await expect(page.getByTestId('support-number').textContent()).resolves.toBe('+15551234567');
    await page.context().close();
  });
});
