import { eventually } from '../support/eventually';
import { aUsername, integrationApi } from '../support/integration-api';
import { startTestApp, type TestApp } from '../support/test-app';

interface Placed {
  id: string;
  chatUrl: string;
}

describe('Orders API', () => {
  let sut: TestApp;
  let api: ReturnType<typeof integrationApi>;

  beforeAll(async () => {
    sut = await startTestApp({
      env: { PUBLIC_URL: 'https://shop-support.example.com', SUPPORT_COMPANY_NAME: 'Globex' },
    });
    api = integrationApi(sut);
  });

  afterAll(async () => {
    await sut.close();
  });

  async function aCustomer(
    fields: Record<string, string> = {},
  ): Promise<{ username: string; conversationId: string }> {
    const username = aUsername();
    const response = await api.post('/api/users', {
      username,
      name: 'Ada Lovelace',
      email: `${username}@example.com`,
      ...fields,
    });
    return (await response.json()) as { username: string; conversationId: string };
  }

  const counts = async () =>
    (
      await sut.db.query<{ orders: number; emails: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM emails) AS emails,
                (SELECT count(*)::int FROM messages WHERE kind = 'event') AS events`,
      )
    )[0]!;

  it('stores the order, records it in the conversation, emails the customer, and answers with the chat link', async () => {
    const { username, conversationId } = await aCustomer();

    const response = await api.post('/api/orders', {
      username,
      items: [
        { name: 'Widget', quantity: 2, unitPrice: 4.99 },
        { name: 'Gadget', quantity: 1, unitPrice: 12.5 },
      ],
      currency: 'eur',
    });

    expect(response.status).toBe(201);
    const order = (await response.json()) as Placed;
    expect(order.chatUrl).toMatch(
      new RegExp(
        `^https://shop-support\\.example\\.com/chat/${conversationId}/${order.id}\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`,
      ),
    );
    expect(order.chatUrl).not.toContain(username);
    await expect(
      sut.db.query('SELECT currency, total_minor::int AS total FROM orders WHERE id = $1', [order.id]),
    ).resolves.toEqual([{ currency: 'EUR', total: 2248 }]);
    await expect(
      sut.db.query(
        'SELECT name, quantity, unit_price_minor::int AS price FROM order_items WHERE order_id = $1 ORDER BY position',
        [order.id],
      ),
    ).resolves.toEqual([
      { name: 'Widget', quantity: 2, price: 499 },
      { name: 'Gadget', quantity: 1, price: 1250 },
    ]);
    const text = '2 × Widget (€4.99), 1 × Gadget (€12.50) — total €22.48';
    await expect(
      sut.db.query(`SELECT body, payload FROM messages WHERE ticket_id = $1 AND kind = 'event'`, [
        conversationId,
      ]),
    ).resolves.toEqual([
      {
        body: text,
        payload: {
          type: 'order-confirm',
          orderId: order.id,
          items: [
            { name: 'Widget', quantity: 2, unitPrice: 499 },
            { name: 'Gadget', quantity: 1, unitPrice: 1250 },
          ],
          total: 2248,
          currency: 'EUR',
          text,
        },
      },
    ]);
    const email = await eventually(async () => {
      const [row] = await sut.db.query<{
        status: string;
        to_email: string;
        params: Record<string, string>;
        html: string;
      }>(`SELECT status, to_email, params, html FROM emails WHERE order_id = $1`, [order.id]);
      return row?.status === 'sent' ? row : undefined;
    }, 'the confirmation email');
    expect(email.to_email).toBe(`${username}@example.com`);
    expect(email.params).toEqual({
      name: 'Ada Lovelace',
      order_id: order.id,
      order_text: text,
      url: order.chatUrl,
    });
    expect(email.html).toContain(order.chatUrl.replaceAll('&', '&amp;'));
  });

  it("accepts the tutorial's POST /order with only a username: one widget at 4.99", async () => {
    for (const form of [true, false]) {
      const { username } = await aCustomer();

      const response = form
        ? await api.postForm('/order', { username })
        : await api.post('/order', { username });

      expect(response.status).toBe(201);
      const { id } = (await response.json()) as Placed;
      await expect(
        sut.db.query(
          `SELECT o.currency, o.total_minor::int AS total, i.name, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE o.id = $1`,
          [id],
        ),
      ).resolves.toEqual([{ currency: 'USD', total: 499, name: 'Widget', quantity: 1 }]);
    }
  });

  it('answers 404 for an unknown customer and 422 for one without email, creating nothing', async () => {
    const { username } = await aCustomer({ email: undefined as unknown as string });
    const before = await counts();

    const unknown = await api.post('/api/orders', {
      username: aUsername('nobody'),
      items: [{ name: 'A', quantity: 1, unitPrice: 1 }],
    });
    const noEmail = await api.post('/api/orders', {
      username,
      items: [{ name: 'A', quantity: 1, unitPrice: 1 }],
    });

    expect(unknown.status).toBe(404);
    await expect(unknown.json()).resolves.toMatchObject({ code: 'customer/not_found' });
    expect(noEmail.status).toBe(422);
    await expect(noEmail.json()).resolves.toMatchObject({
      code: 'customer/no_email',
      message: expect.stringContaining(`PATCH /api/users/${username}`),
    });
    await expect(counts()).resolves.toEqual(before);
  });

  it.each<[string, unknown, string[]]>([
    ['no items', { items: [] }, ['items']],
    ['items missing', {}, ['items']],
    [
      'a zero quantity and a negative price',
      { items: [{ name: 'A', quantity: 0, unitPrice: -1 }] },
      ['items.0.quantity', 'items.0.unitPrice'],
    ],
    ['too many decimals', { items: [{ name: 'A', quantity: 1, unitPrice: 4.999 }] }, ['items.0.unitPrice']],
    ['a price as text', { items: [{ name: 'A', quantity: 1, unitPrice: '4.99' }] }, ['items.0.unitPrice']],
    [
      'an unknown currency',
      { items: [{ name: 'A', quantity: 1, unitPrice: 1 }], currency: 'ABC' },
      ['currency'],
    ],
    [
      'decimals a currency does not have',
      { items: [{ name: 'A', quantity: 1, unitPrice: 1.5 }], currency: 'JPY' },
      ['items.0.unitPrice'],
    ],
  ])('answers %s with a 400 naming the fields, creating nothing', async (_case, body, fields) => {
    const { username } = await aCustomer();
    const before = await counts();

    const response = await api.post('/api/orders', { username, ...(body as object) });

    expect(response.status).toBe(400);
    const answer = (await response.json()) as { errors: { field: string }[] };
    expect([...new Set(answer.errors.map((error) => error.field))].sort()).toEqual(fields.sort());
    await expect(counts()).resolves.toEqual(before);
  });

  it("lists a customer's orders newest first, with items, totals and the email's status", async () => {
    const { username } = await aCustomer();
    const first = (await (await api.post('/order', { username })).json()) as Placed;
    const second = (await (
      await api.post('/api/orders', { username, items: [{ name: 'Gizmo', quantity: 3, unitPrice: 10 }] })
    ).json()) as Placed;

    const response = await api.get(`/api/users/${username}/orders`);

    expect(response.status).toBe(200);
    const history = (await response.json()) as {
      id: string;
      total: number;
      items: unknown[];
      email: unknown;
    }[];
    expect(history.map((order) => order.id)).toEqual([second.id, first.id]);
    expect(history[0]).toMatchObject({
      currency: 'USD',
      total: 3000,
      items: [{ name: 'Gizmo', quantity: 3, unitPrice: 1000 }],
      email: { status: expect.stringMatching(/^(queued|sent)$/) },
      createdAt: expect.stringMatching(/Z$/),
    });
    expect((await api.get(`/api/users/${aUsername('nobody')}/orders`)).status).toBe(404);
  });
});
