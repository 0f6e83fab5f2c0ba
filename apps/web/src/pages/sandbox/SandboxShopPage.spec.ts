import { ErrorCode } from '@switchboard/contracts';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { aSignIn } from '../../console/testing/console-builders';
import { PASTED_TOKEN_KEY } from '../../stores/sandbox/shop';
import {
  jsonResponse,
  routeFetch,
  stubFetch,
  type FetchMock,
  type FetchRoute,
} from '../../testing/fetch-stub';
import { mountAppAt } from '../../testing/mount-page';
import { aSandboxSite, aSiteInfo, anAgentsOnlySandbox } from '../../testing/site-info';
import { anOrder, apiError } from './testing/sandbox-builders';

const byTestId = (id: string) => `[data-testid="${id}"]`;
const TOKEN = 'integration-token-123';

describe('the demo shop page', () => {
  let fetchMock: FetchMock;
  let wrapper: VueWrapper | undefined;
  let calls: { key: string; body: unknown; authorization: string | undefined }[];

  beforeEach(() => {
    fetchMock = stubFetch();
    calls = [];
    sessionStorage.clear();
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  function serve(routes: Record<string, FetchRoute> = {}, site = aSandboxSite()): void {
    const recorded =
      (key: string, route: FetchRoute): FetchRoute =>
      (call) => {
        const headers = (call.init.headers ?? {}) as Record<string, string>;
        calls.push({
          key,
          body: call.init.body ? JSON.parse(String(call.init.body)) : undefined,
          authorization: headers.Authorization,
        });
        return route(call);
      };
    const all: Record<string, FetchRoute> = {
      'GET /api/sandbox/integration-token': () => jsonResponse({ token: TOKEN }),
      'POST /api/users': ({ init }) =>
        jsonResponse({ id: '8', username: JSON.parse(String(init.body)).username, conversationId: '4' }, 201),
      'POST /api/orders': () =>
        jsonResponse({ id: '31', chatUrl: 'http://app.test/chat/4/31?token=abc' }, 201),
      ...routes,
    };
    routeFetch(fetchMock, {
      'GET /api/site': () => jsonResponse(site),
      'POST /api/auth/refresh': () => jsonResponse(aSignIn()),
      ...Object.fromEntries(Object.entries(all).map(([key, route]) => [key, recorded(key, route)])),
      [`GET /api/users/ada-1/orders`]: recorded('GET orders', () => jsonResponse([anOrder()])),
    });
  }

  async function open(): Promise<VueWrapper> {
    wrapper = (await mountAppAt('/sandbox/shop')).wrapper;
    await flushPromises();
    return wrapper;
  }

  async function fillCustomer(
    page: VueWrapper,
    name = 'Ada Lovelace',
    email = 'ada@example.com',
    username = 'ada-1',
    phone = '+44 7700 900123',
  ) {
    await page.get(byTestId('shop-name')).setValue(name);
    await page.get(byTestId('shop-email')).setValue(email);
    await page.get(byTestId('shop-username')).setValue(username);
    await page.get(byTestId('shop-phone')).setValue(phone);
  }

  async function placeOrder(page: VueWrapper): Promise<void> {
    await page.get(byTestId('shop-checkout')).trigger('submit');
    await flushPromises();
  }

  it('is ready to order: a product in the cart and a made-up customer filled in', async () => {
    serve();

    const page = await open();

    expect(page.findAll(byTestId('shop-product')).length).toBeGreaterThanOrEqual(3);
    expect(page.get(byTestId('shop-total')).text()).toBe('$4.99');
    expect((page.get(byTestId('shop-name')).element as HTMLInputElement).value).toMatch(/^\w+ [\w-]+$/);
    expect((page.get(byTestId('shop-email')).element as HTMLInputElement).value).toMatch(/@example\.com$/);
    expect(page.get(byTestId('shop-place-order')).attributes('disabled')).toBeUndefined();
  });

  it('counts the cart, and cannot order an empty one', async () => {
    serve();
    const page = await open();
    const gadget = page.get('[data-sku="gadget"]');

    await gadget.get(byTestId('shop-more')).trigger('click');
    await gadget.get(byTestId('shop-more')).trigger('click');
    expect(page.get(byTestId('shop-total')).text()).toBe('$52.99');

    await page.get('[data-sku="widget-blue"]').get(byTestId('shop-less')).trigger('click');
    await gadget.get(byTestId('shop-quantity')).setValue('0');
    await gadget.get(byTestId('shop-quantity')).trigger('change');

    expect(page.find(byTestId('shop-cart-empty')).exists()).toBe(true);
    expect(page.get(byTestId('shop-place-order')).attributes('disabled')).toBeDefined();
  });

  it('creates the customer and places the order through the integration API, with its token', async () => {
    serve();
    const page = await open();
    await fillCustomer(page);

    await placeOrder(page);

    expect(calls.map((call) => call.key)).toEqual([
      'GET /api/sandbox/integration-token',
      'POST /api/users',
      'POST /api/orders',
      'GET orders',
    ]);
    expect(calls[1]).toEqual({
      key: 'POST /api/users',
      body: { username: 'ada-1', name: 'Ada Lovelace', email: 'ada@example.com', phone: '+447700900123' },
      authorization: `Bearer ${TOKEN}`,
    });
    expect(calls[2]).toEqual({
      key: 'POST /api/orders',
      body: {
        username: 'ada-1',
        items: [{ name: 'Blue widget', quantity: 1, unitPrice: 4.99 }],
        currency: 'USD',
      },
      authorization: `Bearer ${TOKEN}`,
    });
    const placed = page.get(byTestId('shop-order-placed'));
    expect(page.get(byTestId('shop-order-id')).text()).toBe('#31');
    expect(placed.text()).toContain('ada@example.com');
    expect(page.get(byTestId('shop-email-status')).text()).toBe('Email sent ✓');
    expect(page.get(byTestId('shop-open-mailbox')).attributes('href')).toBe('/sandbox/mail?order=31');
    expect(page.get(byTestId('shop-open-chat')).attributes('href')).toBe(
      'http://app.test/chat/4/31?token=abc',
    );
    expect(page.get(byTestId('shop-history')).text()).toContain("Ada Lovelace's orders");
  });

  it('orders again for the same customer without creating them twice', async () => {
    serve();
    const page = await open();
    await fillCustomer(page);
    await placeOrder(page);

    expect(page.get(byTestId('shop-customer')).text()).toContain('Ada Lovelace');
    await placeOrder(page);

    expect(calls.filter((call) => call.key === 'POST /api/users')).toHaveLength(1);
    expect(calls.filter((call) => call.key === 'POST /api/orders')).toHaveLength(2);
    expect(calls.filter((call) => call.key === 'GET /api/sandbox/integration-token')).toHaveLength(1);
  });

  it('checks the customer before calling the API', async () => {
    serve();
    const page = await open();
    await fillCustomer(page, '', 'not-an-email', 'ada 1', '07700 900123');

    await placeOrder(page);

    expect(calls).toEqual([]);
    expect(page.findAll(byTestId('shop-field-problem')).map((problem) => problem.text())).toEqual([
      'Enter a name.',
      'Enter an email address, e.g. ada@example.com.',
      expect.stringContaining('letters, digits'),
      expect.stringContaining('international format'),
    ]);
    expect(page.get(byTestId('shop-name')).attributes('aria-invalid')).toBe('true');
  });

  it('says when the username is taken, beside the field', async () => {
    serve({
      'POST /api/users': () =>
        apiError(409, ErrorCode.UsernameTaken, 'The username ada-1 is taken', [
          { field: 'username', message: 'username is taken' },
        ]),
    });
    const page = await open();
    await fillCustomer(page);

    await placeOrder(page);

    expect(page.get(byTestId('shop-field-problem')).text()).toContain('That username is taken');
    expect(page.get(byTestId('shop-username')).attributes('aria-invalid')).toBe('true');
    expect(page.find(byTestId('shop-error')).exists()).toBe(false);
    expect(page.find(byTestId('shop-order-placed')).exists()).toBe(false);
  });

  it('shows what went wrong otherwise, with the error id to quote', async () => {
    serve({
      'POST /api/orders': () =>
        jsonResponse(
          { statusCode: 500, code: ErrorCode.Internal, message: 'Internal error', errorId: 'err-9' },
          500,
        ),
    });
    const page = await open();

    await placeOrder(page);

    expect(page.get(byTestId('shop-error')).text()).toBe('Internal error (error err-9)');
    expect(page.get(byTestId('shop-place-order')).attributes('disabled')).toBeUndefined();
  });

  describe('in production, where the integration token is pasted in', () => {
    const production = () => aSiteInfo({ sandbox: anAgentsOnlySandbox() });

    it('asks for the token, says why, and orders with it, kept for this tab only', async () => {
      serve({}, production());
      const page = await open();
      const token = page.get(byTestId('shop-token'));
      expect(token.get('label').text()).toBe('Integration token (API_TOKEN)');
      expect(token.get(byTestId('shop-token-help')).text()).toContain(
        'runs in production, which never serves its integration token to a browser',
      );
      expect(token.get(byTestId('shop-token-help')).text()).toContain('kept in this tab only');
      await fillCustomer(page);

      await placeOrder(page);

      expect(calls).toEqual([]);
      expect(page.get(byTestId('shop-token-problem')).text()).toContain('Paste the integration token first');
      expect(page.get(byTestId('shop-token-input')).attributes('aria-invalid')).toBe('true');

      await page.get(byTestId('shop-token-input')).setValue('  pasted-token-0123456789  ');
      expect(page.find(byTestId('shop-token-problem')).exists()).toBe(false);
      await placeOrder(page);

      expect(calls.map((call) => [call.key, call.authorization])).toEqual([
        ['POST /api/users', 'Bearer pasted-token-0123456789'],
        ['POST /api/orders', 'Bearer pasted-token-0123456789'],
        ['GET orders', 'Bearer pasted-token-0123456789'],
      ]);
      expect(page.find(byTestId('shop-order-placed')).exists()).toBe(true);
      expect(sessionStorage.getItem(PASTED_TOKEN_KEY)).toBe('pasted-token-0123456789');
      expect(localStorage.getItem(PASTED_TOKEN_KEY)).toBeNull();
    });

    it("shows the API's refusal of a wrong token plainly, beside the token", async () => {
      sessionStorage.setItem(PASTED_TOKEN_KEY, 'wrong-token');
      serve(
        {
          'POST /api/users': () =>
            apiError(401, ErrorCode.Unauthorized, 'The integration token is not valid'),
        },
        production(),
      );
      const page = await open();
      expect((page.get(byTestId('shop-token-input')).element as HTMLInputElement).value).toBe('wrong-token');
      await fillCustomer(page);

      await placeOrder(page);

      expect(page.get(byTestId('shop-token-problem')).text()).toBe(
        'Switchboard refused this token (401): The integration token is not valid',
      );
      expect(page.get(byTestId('shop-token-input')).attributes('aria-invalid')).toBe('true');
      expect(page.find(byTestId('shop-error')).exists()).toBe(false);
      expect(page.find(byTestId('shop-order-placed')).exists()).toBe(false);
    });

    it('asks for no token outside production', async () => {
      serve();

      const page = await open();

      expect(page.find(byTestId('shop-token')).exists()).toBe(false);
    });
  });
});
