import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage, phone, scrollsHorizontally } from './support/browser';
import { consoleTestEnv, eventually, signInThroughConsole, withAppDatabase } from './support/console-app';

/**
 * The console over a desk with history: more tickets than the server counts (1,000), scrolled by
 * cursor pages as the agent reaches the end, and searched by a word, a phone number typed the national
 * way and a name. The history is made in the app's database directly (thousands of tickets through
 * the webhook would take the test's time, and no API makes old tickets).
 */
const TICKETS = 2_400;
const OPEN = 60;

let browser: Browser;
let app: RunningApp;
let page: Page;

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startApp({ env: consoleTestEnv })]);
  await withAppDatabase(app, async (db) => {
    // One SMS customer and ticket each, three messages a ticket, activity a minute apart; the first
    // OPEN tickets (the newest) unresolved. One old ticket mentions a rare word.
    await db.query(
      `WITH customers AS (
         INSERT INTO users (role, phone, name)
         SELECT 'customer', '+4477009' || lpad(i::text, 5, '0'), CASE WHEN i = 7 THEN 'Zoë Ångström' END
           FROM generate_series(1, $1) i
         RETURNING id, phone)
       INSERT INTO tickets (customer_id, channel, status, resolved_at)
       SELECT id, 'sms', 'resolved', now() FROM customers`,
      [TICKETS],
    );
    await db.query(
      `INSERT INTO messages (ticket_id, direction, body, status)
       SELECT t.id, 'in', m.body, 'received'
         FROM tickets t CROSS JOIN (VALUES ('Where is my parcel?'), ('It was due on Monday'), ('Thanks')) m (body)
        WHERE t.channel = 'sms'`,
    );
    await db.query(
      `INSERT INTO messages (ticket_id, direction, body, status)
       SELECT id, 'in', 'My order was lost on the way to Zanzibar in spring', 'received'
         FROM tickets ORDER BY id LIMIT 1 OFFSET 1500`,
    );
    await db.query(
      `UPDATE tickets t SET last_message_at = now() - make_interval(mins => n.rank::int),
                            status = CASE WHEN n.rank <= $1::int THEN 'open' ELSE 'resolved' END,
                            resolved_at = CASE WHEN n.rank <= $1::int THEN NULL ELSE resolved_at END
         FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS rank FROM tickets) n WHERE n.id = t.id`,
      [OPEN],
    );
  });
  page = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await signInThroughConsole(page, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const rowIds = () =>
  page.getByTestId('inbox-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ticket-id')!));

async function search(text: string): Promise<void> {
  await page.getByTestId('inbox-search').fill(text);
}

describe('the console over a long history', () => {
  it('counts the unresolved, and scrolls every ticket page by page as the agent reaches the end', async () => {
    await expect.poll(() => page.getByTestId('count-unresolved').textContent()).toBe(String(OPEN));
    await page.getByTestId('status-resolved').check({ force: true });
    await expect.poll(() => page.getByTestId('inbox-total').textContent()).toContain('1,000+ tickets');

    // Scrolling to the end loads the next page by itself; no page repeats a ticket.
    for (let pages = 2; pages <= 4; pages += 1) {
      await page.getByTestId('inbox-row').last().scrollIntoViewIfNeeded();
      await expect
        .poll(async () => (await rowIds()).length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(pages * 50);
    }
    const ids = await rowIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => b - a));
  });

  it('finds an old ticket by a rare word, with the word marked in the excerpt', async () => {
    await page.getByTestId('status-resolved').check({ force: true });
    await search('zanzibar');
    const row = page.getByTestId('inbox-row').filter({ has: page.getByTestId('inbox-row-match') });
    await row.first().waitFor();
    expect(await page.getByTestId('inbox-row').count()).toBe(1);
    expect(await row.getByTestId('inbox-row-match').locator('mark').allTextContents()).toEqual(['Zanzibar']);
    expect(await page.getByTestId('inbox-total').textContent()).toContain('1 ticket');
  });

  it('finds a customer by a phone number typed the national way, and by a name typed without accents', async () => {
    const onlyZoe = async () =>
      (await page.getByTestId('inbox-row-name').allTextContents()).join('|') === 'Zoë Ångström' || undefined;
    await search('07700 900007');
    await eventually(onlyZoe, 'the one row found by the phone number');

    await search('');
    await eventually(async () => (await rowIds()).length > 1 || undefined, 'the list without a search');
    await search('zoe angs');
    await eventually(onlyZoe, 'the one row found by name');
  });

  it('fits a phone (375 px) with the counts, the total and a marked excerpt, without sideways scrolling', async () => {
    const small = await openPage(browser, phone);
    await small.context().addCookies(await page.context().cookies());
    await small.goto(`${app.baseUrl}/agent`);
    await small.getByTestId('count-unresolved').waitFor();
    await small.getByTestId('inbox-search').fill('parcel');
    await small.getByTestId('inbox-row-match').first().waitFor();
    // Every ticket mentions "parcel": the search collected the latest mentions, so at least the 60 open.
    expect(await small.getByTestId('inbox-total').textContent()).toMatch(
      new RegExp(`^\\s*${OPEN}\\+? tickets\\s*$`),
    );
    expect(await scrollsHorizontally(small)).toBe(false);
  });
});
