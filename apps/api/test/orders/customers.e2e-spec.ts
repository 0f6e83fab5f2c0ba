import { aPhoneNumber, deliver, inboundSms } from '../support/sms-webhooks';
import { aUsername, integrationApi } from '../support/integration-api';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Customers API', () => {
  let sut: TestApp;
  let api: ReturnType<typeof integrationApi>;

  beforeAll(async () => {
    sut = await startTestApp();
    api = integrationApi(sut);
  });

  afterAll(async () => {
    await sut.close();
  });

  it('creates a customer with their chat conversation', async () => {
    const username = aUsername();

    const response = await api.post('/api/users', {
      username,
      name: 'Grace Hopper',
      email: 'grace@example.com',
    });

    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; username: string; conversationId: string };
    expect(body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      username,
      conversationId: expect.stringMatching(/^\d+$/),
    });
    await expect(
      sut.db.query('SELECT customer_id::text, channel, status FROM tickets WHERE id = $1', [
        body.conversationId,
      ]),
    ).resolves.toEqual([{ customer_id: body.id, channel: 'chat', status: 'pending' }]);
  });

  it.each([
    ['form-encoded', true],
    ['JSON', false],
  ])("accepts the tutorial's POST /user, %s", async (_encoding, form) => {
    const username = aUsername('tutorial');

    const response = form ? await api.postForm('/user', { username }) : await api.post('/user', { username });

    expect(response.status).toBe(201);
    await expect(response.json()).resolves.toMatchObject({ username, conversationId: expect.any(String) });
  });

  it('answers 409 when the username is taken, also when two requests race for it', async () => {
    const username = aUsername();
    await api.post('/api/users', { username });
    const again = await api.post('/api/users', { username });
    const raced = aUsername();

    const racing = await Promise.all(
      Array.from({ length: 5 }, () => api.post('/api/users', { username: raced })),
    );

    expect(again.status).toBe(409);
    await expect(again.json()).resolves.toMatchObject({
      code: 'customer/username_taken',
      errors: [{ field: 'username' }],
    });
    expect(racing.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
    await expect(sut.db.query('SELECT id FROM users WHERE username = $1', [raced])).resolves.toHaveLength(1);
  });

  it('answers 400 naming each invalid field, creating nothing', async () => {
    const response = await api.post('/api/users', {
      username: '-bad name',
      email: 'not-an-email',
      phone: '12',
      role: 'admin',
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((error) => error.field).sort()).toEqual(['email', 'phone', 'role', 'username']);
    await expect(sut.db.query(`SELECT id FROM users WHERE username = '-bad name'`)).resolves.toHaveLength(0);
  });

  it('makes a number that has texted us into this customer, keeping their SMS history', async () => {
    const phone = aPhoneNumber();
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone }));
    const [smsCustomer] = await sut.db.query<{ id: string }>('SELECT id::text FROM users WHERE phone = $1', [
      `+${phone}`,
    ]);

    const response = await api.post('/api/users', {
      username: aUsername(),
      email: 'sms@example.com',
      phone: `+${phone}`,
    });

    await expect(response.json()).resolves.toMatchObject({ id: smsCustomer!.id });
    const taken = await api.post('/api/users', { username: aUsername(), phone });
    expect(taken.status).toBe(409);
    await expect(taken.json()).resolves.toMatchObject({ code: 'customer/phone_taken' });
  });

  it('updates a customer, e.g. to add the email an order needs', async () => {
    const username = aUsername();
    await api.post('/api/users', { username });

    const response = await api.patch(`/api/users/${username}`, {
      email: 'late@example.com',
      name: 'Late Adder',
    });
    const unknown = await api.patch(`/api/users/${aUsername('nobody')}`, { email: 'x@example.com' });

    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toMatchObject({
      username,
      email: 'late@example.com',
      name: 'Late Adder',
    });
    expect(unknown.status).toBe(404);
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'sb_wrong-token-wrong-token'],
  ])('refuses every route with %s (401), creating nothing', async (_case, token) => {
    const username = aUsername();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;

    const responses = await Promise.all([
      fetch(`${sut.baseUrl}/api/users`, { method: 'POST', headers, body: JSON.stringify({ username }) }),
      fetch(`${sut.baseUrl}/user`, { method: 'POST', headers, body: JSON.stringify({ username }) }),
      fetch(`${sut.baseUrl}/api/users/${username}`, { method: 'PATCH', headers, body: '{}' }),
      fetch(`${sut.baseUrl}/api/orders`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ username, items: [] }),
      }),
      fetch(`${sut.baseUrl}/order`, { method: 'POST', headers, body: JSON.stringify({ username }) }),
      fetch(`${sut.baseUrl}/api/users/${username}/orders`, { headers }),
    ]);

    expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(responses[0]!.headers.get('www-authenticate')).toBe('Bearer');
    await expect(responses[0]!.json()).resolves.toMatchObject({ code: 'auth/unauthorized' });
    await expect(sut.db.query('SELECT id FROM users WHERE username = $1', [username])).resolves.toHaveLength(
      0,
    );
  });

  it('uses API_TOKEN when it is set', async () => {
    const app = await startTestApp({ env: { API_TOKEN: 'a-shop-token-of-some-length' } });
    try {
      const right = await integrationApi(app, 'a-shop-token-of-some-length').post('/api/users', {
        username: aUsername(),
      });
      const other = await integrationApi(app, 'sb_a-token-generated-before').post('/api/users', {
        username: aUsername(),
      });

      expect([right.status, other.status]).toEqual([201, 401]);
    } finally {
      await app.close();
    }
  });
});
