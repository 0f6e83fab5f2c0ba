import { randomUUID } from 'node:crypto';

import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { agentTestEnv, ChatSocket, signInAgent, type Agent } from './support/agent';
import { startApp, type RunningApp } from './support/app-process';
import { launchBrowser, openPage, phone, scrollsHorizontally } from './support/browser';
import { epochSeconds, signHs256 } from './support/jwt';
import {
  aShopCustomer,
  chatSession,
  linkToken,
  placeOrder,
  shopTestEnv,
  TEST_JWT_SECRET,
  type PlacedOrder,
  type ShopCustomer,
} from './support/shop';

/** The bound: a message shows on the other side within 2 s. */
const DELIVERY_MS = 2_000;

let browser: Browser;
let app: RunningApp;
let agent: Agent;
const sockets: ChatSocket[] = [];

beforeAll(async () => {
  [browser, app] = await Promise.all([
    launchBrowser(),
    startApp({ env: { ...shopTestEnv, ...agentTestEnv } }),
  ]);
  agent = await signInAgent(app);
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const context of browser.contexts()) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A customer with one order: what the shop does before the email goes out. */
async function aCustomerWithAnOrder(
  name = 'Ada Lovelace',
): Promise<{ customer: ShopCustomer; order: PlacedOrder }> {
  const customer = await aShopCustomer(app, name);
  const order = await placeOrder(app, customer);
  return { customer, order };
}

/** The agent's side of a conversation, joined. */
async function agentIn(conversationId: string): Promise<ChatSocket> {
  const socket = await ChatSocket.connect(app, agent.accessToken);
  sockets.push(socket);
  await socket.join(conversationId);
  return socket;
}

/** Opens the chat link and waits until the page is live (connected and caught up). */
async function openChat(page: Page, chatUrl: string): Promise<void> {
  await page.goto(chatUrl);
  await waitUntilOnline(page);
}

async function waitUntilOnline(page: Page, timeout = 15_000): Promise<void> {
  await page
    .locator('[data-testid="connection-banner"][data-connection="online"]')
    .waitFor({ state: 'attached', timeout });
}

async function sendFromPage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** The texts of the stored messages the page shows, top to bottom (pending copies excluded). */
function threadTexts(page: Page): Promise<string[]> {
  return page.getByTestId('chat-message').getByTestId('chat-message-text').allTextContents();
}

function messageWithText(page: Page, text: string) {
  return page.getByTestId('chat-message').filter({ has: page.getByText(text, { exact: true }) });
}

describe('customer chat page', () => {
  it('opens the email link with the current order, the order history and the order cards', async () => {
    const customer = await aShopCustomer(app, 'Ada Lovelace');
    const older = await placeOrder(app, customer, [{ name: 'Gadget', quantity: 1, unitPrice: 19 }], 'EUR');
    const current = await placeOrder(app, customer, [
      { name: 'Widget', quantity: 2, unitPrice: 4.99 },
      { name: 'Gizmo', quantity: 1, unitPrice: 12.5 },
    ]);
    const page = await openPage(browser);

    await openChat(page, current.chatUrl);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Order #${current.id}`);
    const currentOrder = page.getByTestId('current-order');
    await expect(currentOrder.getByTestId('order-line-unit').allTextContents()).resolves.toEqual([
      '2 × $4.99',
      '1 × $12.50',
    ]);
    await expect(currentOrder.getByTestId('order-line-total').allTextContents()).resolves.toEqual([
      '$9.98',
      '$12.50',
    ]);
    await expect(currentOrder.getByTestId('order-total').textContent()).resolves.toBe('$22.48');
    const history = page.getByTestId('order-history');
    await expect(history.textContent()).resolves.toContain('Your other orders (1)');
    await history.getByText('Your other orders (1)').click();
    await expect(history.getByTestId('order-history-entry').allTextContents()).resolves.toEqual([
      expect.stringContaining(`#${older.id}`),
    ]);
    await expect(history.getByTestId('order-history-entry').textContent()).resolves.toContain('€19.00');
    const cards = page.getByTestId('chat-order-card');
    await expect(
      cards.evaluateAll((found) => found.map((card) => card.getAttribute('data-order-id'))),
    ).resolves.toEqual([older.id, current.id]);
    await expect(cards.nth(1).textContent()).resolves.toContain('This order');
    // The token left the address bar; the page keeps it for this tab only.
    expect(new URL(page.url()).search).toBe('');
    await expect(page.title()).resolves.toBe(`Order #${current.id} · ACME Support`);
  });

  it('delivers messages both ways within 2 s, with typing and read receipts, and keeps them on reload', async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    const agentSocket = await agentIn(customer.conversationId);
    const page = await openPage(browser);
    await openChat(page, order.chatUrl);

    await page.getByLabel('Message', { exact: true }).fill('Where is my widget?');
    await expect(
      agentSocket.waitForTyping((change) => change.role === 'customer' && change.typing, DELIVERY_MS),
    ).resolves.toMatchObject({ conversationId: customer.conversationId });
    const sentAt = Date.now();
    await page.getByLabel('Message', { exact: true }).press('Enter');
    const question = await agentSocket.waitForMessage(
      (message) => message.body === 'Where is my widget?',
      DELIVERY_MS,
    );
    expect(Date.now() - sentAt).toBeLessThan(DELIVERY_MS);
    expect(question.author).toMatchObject({ role: 'customer', name: 'Ada Lovelace' });
    await messageWithText(page, 'Where is my widget?').waitFor({ timeout: DELIVERY_MS });

    await agentSocket.setTyping(customer.conversationId, true);
    await page.getByText(`${agent.name} is typing…`).waitFor({ timeout: DELIVERY_MS });
    const answer = await agentSocket.send(customer.conversationId, 'It ships today.');
    await messageWithText(page, 'It ships today.').waitFor({ timeout: DELIVERY_MS });
    await expect(page.getByTestId('typing-indicator').textContent()).resolves.toBe('');
    await expect(messageWithText(page, 'It ships today.').textContent()).resolves.toContain(agent.name);
    // The visible page tells the agent it has read the answer; the agent's receipt shows as "Seen".
    await agentSocket.waitForRead(
      (change) => change.role === 'customer' && change.seq >= answer.seq,
      DELIVERY_MS,
    );
    await agentSocket.read(customer.conversationId, question.seq);
    await messageWithText(page, 'Where is my widget?')
      .getByTestId('chat-message-seen')
      .waitFor({ timeout: DELIVERY_MS });

    await page.reload();
    await waitUntilOnline(page);

    await expect(threadTexts(page)).resolves.toEqual(['Where is my widget?', 'It ships today.']);
    await expect(page.getByTestId('chat-order-card').count()).resolves.toBe(1);
    await messageWithText(page, 'Where is my widget?').getByTestId('chat-message-seen').waitFor();
  });

  it('resumes after a dropped connection with nothing lost and nothing twice', async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    const agentSocket = await agentIn(customer.conversationId);
    const page = await openPage(browser);
    await openChat(page, order.chatUrl);
    await sendFromPage(page, 'Before the tunnel');
    await messageWithText(page, 'Before the tunnel').waitFor({ timeout: DELIVERY_MS });

    await page.context().setOffline(true);
    await page
      .locator('[data-testid="connection-banner"][data-connection="offline"]')
      .waitFor({ state: 'attached' });
    await expect(page.getByTestId('connection-banner').textContent()).resolves.toContain(
      "Can't reach the chat right now.",
    );
    await agentSocket.send(customer.conversationId, 'Sent while you were offline');
    await sendFromPage(page, 'Written while offline');
    await expect(page.getByTestId('chat-pending').textContent()).resolves.toContain(
      'Waiting for connection…',
    );
    await page.waitForTimeout(1_000);
    expect(agentSocket.messages.map((message) => message.body)).not.toContain('Written while offline');

    await page.context().setOffline(false);
    await waitUntilOnline(page);

    await messageWithText(page, 'Sent while you were offline').waitFor({ timeout: DELIVERY_MS });
    await messageWithText(page, 'Written while offline').waitFor({ timeout: DELIVERY_MS });
    await agentSocket.waitForMessage((message) => message.body === 'Written while offline', DELIVERY_MS);
    // Give any duplicate time to show up before counting.
    await page.waitForTimeout(1_000);
    await expect(threadTexts(page)).resolves.toEqual([
      'Before the tunnel',
      'Sent while you were offline',
      'Written while offline',
    ]);
    await expect(page.getByTestId('chat-pending').count()).resolves.toBe(0);
    expect(agentSocket.messages.filter((message) => message.body === 'Written while offline')).toHaveLength(
      1,
    );
    // What the server stored: each once.
    const stored = await (await agentIn(customer.conversationId)).join(customer.conversationId, 0);
    expect(stored.filter((message) => message.kind === 'text').map((message) => message.body)).toEqual([
      'Before the tunnel',
      'Sent while you were offline',
      'Written while offline',
    ]);
  });

  it('catches up after a drop the browser does not notice, and sends what was written meanwhile once', async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    const agentSocket = await agentIn(customer.conversationId);
    const page = await openPage(browser);
    // Every socket.io connection of the page goes through the test, which can cut it and refuse new ones
    // (the server sees the socket close; the page gets no "offline" event, only a dead connection).
    let refusing = false;
    const live: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (refusing) return void ws.close();
      live.push({ page: ws, server: ws.connectToServer() });
    });
    await page.route(/\/socket\.io\//, (route) =>
      refusing ? route.abort('connectionreset') : route.continue(),
    );
    await openChat(page, order.chatUrl);
    await sendFromPage(page, 'Before the drop');
    await messageWithText(page, 'Before the drop').waitFor({ timeout: DELIVERY_MS });
    expect(live.length, 'the page upgraded to a WebSocket').toBeGreaterThan(0);

    refusing = true;
    for (const { page: client, server } of live.splice(0)) {
      await server.close();
      await client.close();
    }
    await page
      .locator('[data-testid="connection-banner"][data-connection="offline"]')
      .waitFor({ state: 'attached' });
    await agentSocket.send(customer.conversationId, 'Sent during the drop');
    await sendFromPage(page, 'Written during the drop');
    await page.waitForTimeout(1_000);
    refusing = false;
    await waitUntilOnline(page);

    await messageWithText(page, 'Sent during the drop').waitFor({ timeout: DELIVERY_MS });
    await messageWithText(page, 'Written during the drop').waitFor({ timeout: DELIVERY_MS });
    await agentSocket.waitForMessage((message) => message.body === 'Written during the drop', DELIVERY_MS);
    await page.waitForTimeout(1_000);
    await expect(threadTexts(page)).resolves.toEqual([
      'Before the drop',
      'Sent during the drop',
      'Written during the drop',
    ]);
    expect(agentSocket.messages.filter((message) => message.body === 'Written during the drop')).toHaveLength(
      1,
    );
  });

  it("keeps a customer out of another customer's conversation: REST, socket and page", async () => {
    const alice = await aCustomerWithAnOrder('Alice Liddell');
    const bob = await aCustomerWithAnOrder('Bob Dylan');
    const alicePage = await openPage(browser);
    await openChat(alicePage, alice.order.chatUrl);
    await sendFromPage(alicePage, "Alice's private question");
    await messageWithText(alicePage, "Alice's private question").waitFor({ timeout: DELIVERY_MS });
    const bobPage = await openPage(browser);
    await openChat(bobPage, bob.order.chatUrl);

    // REST, from Bob's page (same origin, Bob's own session).
    const rest = await bobPage.evaluate(
      async ({ own, other, token }) => {
        const session = await fetch('/api/chat/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ conversationId: own, token }),
        }).then((response) => response.json() as Promise<{ accessToken: string }>);
        const headers = {
          authorization: `Bearer ${session.accessToken}`,
          'content-type': 'application/json',
        };
        const read = await fetch(`/api/chat/conversations/${other}`, { headers });
        const post = await fetch(`/api/chat/conversations/${other}/messages`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ clientId: crypto.randomUUID(), body: 'I am Alice now' }),
        });
        return { read: [read.status, await read.json()], post: [post.status, await post.json()] };
      },
      {
        own: bob.customer.conversationId,
        other: alice.customer.conversationId,
        token: linkToken(bob.order.chatUrl),
      },
    );
    expect(rest.read).toEqual([403, expect.objectContaining({ code: 'auth/forbidden' })]);
    expect(rest.post).toEqual([403, expect.objectContaining({ code: 'auth/forbidden' })]);

    // The socket, with Bob's session.
    const bobSocket = await ChatSocket.connect(
      app,
      await chatSession(app, bob.customer.conversationId, bob.order.chatUrl),
    );
    sockets.push(bobSocket);
    await expect(bobSocket.join(alice.customer.conversationId)).rejects.toThrow('auth/forbidden');
    await expect(bobSocket.send(alice.customer.conversationId, 'I am Alice now')).rejects.toThrow(
      'auth/forbidden',
    );

    // The page: Alice's conversation with Bob's link token is refused outright.
    await bobPage.goto(
      `${app.baseUrl}/chat/${alice.customer.conversationId}/${alice.order.id}?token=${linkToken(bob.order.chatUrl)}`,
    );
    await bobPage.getByTestId('chat-invalid').waitFor();

    // Alice's message reached no one else, and Bob's attempts reached nothing.
    await alicePage.waitForTimeout(500);
    await expect(alicePage.getByTestId('chat-message-text').allTextContents()).resolves.toEqual([
      "Alice's private question",
    ]);
    await bobPage.goto(bob.order.chatUrl);
    await waitUntilOnline(bobPage);
    await expect(bobPage.getByText("Alice's private question").count()).resolves.toBe(0);
    await expect(bobPage.getByTestId('chat-message').count()).resolves.toBe(0);
  });

  it('shows markup people typed as text and runs none of it', async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    const agentSocket = await agentIn(customer.conversationId);
    const page = await openPage(browser);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await openChat(page, order.chatUrl);
    const payloads = [`<img src=x onerror="window.__xss=1">`, `<script>window.__xss=2</script>`];

    for (const payload of payloads) {
      await sendFromPage(page, payload);
      await agentSocket.waitForMessage((message) => message.body === payload, DELIVERY_MS);
    }
    for (const payload of payloads) await agentSocket.send(customer.conversationId, payload);
    await agentSocket.send(customer.conversationId, '<b>bold</b> <a href="javascript:alert(1)">link</a>');

    await page.getByText('<b>bold</b>', { exact: false }).waitFor({ timeout: DELIVERY_MS });
    await page.waitForTimeout(500);
    await expect(threadTexts(page)).resolves.toEqual([
      ...payloads,
      ...payloads,
      '<b>bold</b> <a href="javascript:alert(1)">link</a>',
    ]);
    await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
    const thread = page.getByTestId('chat-thread');
    await expect(thread.locator('img, script, b, a').count()).resolves.toBe(0);
    expect(dialogs).toBe(0);

    await page.reload();
    await waitUntilOnline(page);
    await expect(threadTexts(page)).resolves.toHaveLength(5);
    await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
    await expect(thread.locator('img, script, b, a').count()).resolves.toBe(0);
  });

  it('explains an expired link: when it expired and what to do', async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    const issued = new Date('2026-01-01T09:00:00Z');
    const expired = new Date('2026-01-31T09:00:00Z');
    const token = signHs256(
      {
        typ: 'chat-link',
        sub: customer.id,
        conv: customer.conversationId,
        iat: epochSeconds(issued),
        exp: epochSeconds(expired),
      },
      TEST_JWT_SECRET,
    );
    const page = await openPage(browser, phone);

    await page.goto(`${app.baseUrl}/chat/${customer.conversationId}/${order.id}?token=${token}`);

    const problem = page.getByTestId('chat-expired');
    await problem.waitFor();
    await expect(problem.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'This chat link has expired',
    );
    await expect(page.getByTestId('chat-expired-when').textContent()).resolves.toBe(
      'This chat link expired on 2026-01-31',
    );
    await expect(problem.textContent()).resolves.toContain('Use the chat link in a newer email');
    await expect(page.getByRole('link', { name: 'Contact support' }).getAttribute('href')).resolves.toBe('/');
    await expect(page.getByTestId('chat-composer').count()).resolves.toBe(0);
    await expect(scrollsHorizontally(page)).resolves.toBe(false);
  });

  it('says a changed, cut-short or missing link does not work', async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    const token = linkToken(order.chatUrl);
    const page = await openPage(browser);

    for (const search of [`?token=${token.slice(0, -4)}abcd`, `?token=${token.slice(0, 40)}`, '']) {
      await page.goto(`${app.baseUrl}/chat/${customer.conversationId}/${order.id}${search}`);
      await page.getByTestId('chat-invalid').waitFor();
      await expect(page.getByRole('heading', { level: 1 }).textContent(), search).resolves.toBe(
        "This chat link doesn't work",
      );
    }
    await page.goto(`${app.baseUrl}/chat/not-a-number/${order.id}?token=${token}`);
    await page.getByTestId('chat-invalid').waitFor();
  });

  it("says when the link's order is not one of the customer's, and still chats", async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    const page = await openPage(browser);

    await openChat(page, order.chatUrl.replace(`/${order.id}?`, '/999999?'));

    await expect(page.getByTestId('current-order-missing').textContent()).resolves.toContain(
      "We couldn't find order #999999",
    );
    await sendFromPage(page, 'About that order…');
    await messageWithText(page, 'About that order…').waitFor({ timeout: DELIVERY_MS });
    expect(customer.conversationId).toBeTruthy();
  });

  it('fits a 360 px phone: no sideways scrolling, and the composer stays in reach', async () => {
    const { customer, order } = await aCustomerWithAnOrder();
    await placeOrder(app, customer, [{ name: 'A'.repeat(120), quantity: 99, unitPrice: 123456.78 }]);
    const agentSocket = await agentIn(customer.conversationId);
    for (let i = 0; i < 8; i++)
      await agentSocket.send(customer.conversationId, `Line ${i}: ${'long-word-'.repeat(20)}`);
    await agentSocket.send(customer.conversationId, `https://example.com/${randomUUID()}${randomUUID()}`);
    const page = await openPage(browser, { ...phone, viewport: { width: 360, height: 640 } });

    await openChat(page, order.chatUrl);
    await page.getByTestId('order-history').getByText('Your other orders').click();

    await expect(scrollsHorizontally(page)).resolves.toBe(false);
    for (const position of ['top', 'bottom'] as const) {
      await page.evaluate(
        (to) => window.scrollTo(0, to === 'top' ? 0 : document.documentElement.scrollHeight),
        position,
      );
      const box = await page.getByLabel('Message', { exact: true }).boundingBox();
      expect(box, position).not.toBeNull();
      expect(box!.y, position).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height, position).toBeLessThanOrEqual(640);
      expect(box!.x + box!.width, position).toBeLessThanOrEqual(360);
    }
    const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
    expect(send!.height, 'the send button is easy to tap').toBeGreaterThanOrEqual(44);
    await sendFromPage(page, 'Typed on a phone');
    await messageWithText(page, 'Typed on a phone').waitFor({ timeout: DELIVERY_MS });
    await expect(scrollsHorizontally(page)).resolves.toBe(false);
  });
});
