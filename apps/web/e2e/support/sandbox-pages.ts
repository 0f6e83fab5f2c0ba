import type { Locator, Page } from 'playwright-core';

import type { RunningApp } from './app-process';
import { aPhoneNumber, consoleTestEnv } from './console-app';

/** Sandbox mode with the demo agent and a known integration token: what the sandbox tests start with. */
export const sandboxTestEnv: Record<string, string> = { ...consoleTestEnv };

/** The same, with webhook signing on: every SMS webhook must carry a fresh, valid signature. */
export const signedSandboxTestEnv: Record<string, string> = {
  ...consoleTestEnv,
  VONAGE_SIGNATURE_SECRET: 'e2e-webhook-signature-secret',
};

/** Both real providers configured, pointed at a closed port so nothing can leave the machine. */
export const realProvidersEnv: Record<string, string> = {
  VONAGE_API_KEY: 'e2e-vonage-key',
  VONAGE_API_SECRET: 'e2e-vonage-secret',
  VONAGE_NUMBER: '447700900000',
  VONAGE_REST_HOST: 'http://127.0.0.1:9',
  VONAGE_API_HOST: 'http://127.0.0.1:9',
  SENDINBLUE_API_KEY: 'xkeysib-e2e-not-a-real-key',
  SENDINBLUE_TEMPLATE_ID: '1',
  SENDINBLUE_FROM_EMAIL: 'shop@example.com',
  SENDINBLUE_API_URL: 'http://127.0.0.1:9',
};

export const laptop = { viewport: { width: 1280, height: 800 } };
/** The phone size the sandbox pages are checked at. */
export const handset = {
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** The sandbox support number as the phone shows it. */
export const SUPPORT_NUMBER = '+447700900000';

/** A fresh customer number in E.164, never one the sandbox fails. */
export function aCustomerNumber(): string {
  return `+${aPhoneNumber()}`;
}

/** Opens the phone simulator as `number` (typed into the picker, as a visitor would). */
export async function openPhone(page: Page, app: RunningApp, number: string): Promise<void> {
  await page.goto(`${app.baseUrl}/sandbox/phone`);
  await switchPhone(page, number);
}

export async function switchPhone(page: Page, number: string): Promise<void> {
  const picker = page.getByTestId('phone-picker');
  await picker.or(page.getByTestId('phone-sim')).first().waitFor();
  if (!(await picker.isVisible())) await page.getByTestId('phone-change').click();
  await page.getByTestId('phone-custom-number').fill(number);
  await page.getByTestId('phone-custom-use').click();
  await page.locator('[data-testid="phone"][data-number="' + number + '"]').waitFor();
  await page.getByTestId('phone-input').and(page.locator(':enabled')).waitFor();
}

/** Types `text` on the phone and sends it. */
export async function textFromPhone(page: Page, text: string): Promise<void> {
  await page.getByTestId('phone-input').fill(text);
  await page.getByTestId('phone-send').click();
}

/** The phone's own text (stored by the API) with exactly this body. */
export function sentText(page: Page, body: string): Locator {
  return page
    .locator('[data-testid="phone-message"][data-direction="in"]')
    .filter({ has: page.getByTestId('phone-message-body').getByText(body, { exact: true }) });
}

/** An SMS from support whose text matches. */
export function reply(page: Page, text: string | RegExp): Locator {
  return page.locator('[data-testid="phone-message"][data-direction="out"]').filter({ hasText: text });
}

/** Waits until the SMS shows `status` (its `data-status`). */
export async function waitForStatus(message: Locator, status: string, timeout = 10_000): Promise<void> {
  await message.and(message.page().locator(`[data-status="${status}"]`)).waitFor({ timeout });
}

/** The ticket number in a confirmation SMS. */
export async function ticketNumberIn(message: Locator): Promise<string> {
  const text = (await message.getByTestId('phone-message-body').textContent()) ?? '';
  const match = /ticket number is (\d+)/.exec(text);
  if (!match) throw new Error(`No ticket number in: ${text}`);
  return match[1]!;
}

/** The link in the email's HTML version, inside its sandboxed frame. */
export function emailChatLink(page: Page): Locator {
  return page
    .frameLocator('[data-testid="mail-frame"]')
    .getByRole('link', { name: 'Chat with us about this order' });
}

/** Clicks something that opens a new tab and returns that tab once it has loaded. */
export async function clickForNewTab(page: Page, target: Locator): Promise<Page> {
  const [opened] = await Promise.all([page.context().waitForEvent('page'), target.click()]);
  await opened.waitForLoadState('domcontentloaded');
  opened.setDefaultTimeout(15_000);
  return opened;
}

/** Places an order in the demo shop as it is pre-filled; returns its number. */
export async function placeDemoOrder(page: Page, app: RunningApp): Promise<string> {
  await page.goto(`${app.baseUrl}/sandbox/shop`);
  await page.getByTestId('shop-place-order').click();
  const placed = page.getByTestId('shop-order-placed');
  await placed.waitFor();
  const id = await placed.getAttribute('data-order-id');
  if (!id) throw new Error('The shop showed no order number');
  return id;
}

/**
 * True when the page fits the screen's width: nothing to scroll sideways, and a phone did not widen its
 * layout viewport (zoom out) to fit something too wide.
 */
export function fitsScreen(page: Page): Promise<boolean> {
  const width = page.viewportSize()?.width ?? 0;
  return page.evaluate(
    (expected) => window.innerWidth === expected && document.documentElement.scrollWidth <= expected,
    width,
  );
}
