import { type BrevoEmulator, startBrevoEmulator } from '../support/brevo-emulator';
import { eventually } from '../support/eventually';
import { aUsername, integrationApi } from '../support/integration-api';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Order confirmation through Brevo', () => {
  let brevo: BrevoEmulator;
  let sut: TestApp;
  let api: ReturnType<typeof integrationApi>;

  beforeAll(async () => {
    brevo = await startBrevoEmulator({ apiKey: 'xkeysib-test-key' });
    sut = await startTestApp({
      env: {
        SENDINBLUE_API_KEY: 'xkeysib-test-key',
        SENDINBLUE_API_URL: brevo.url,
        SENDINBLUE_TEMPLATE_ID: '7',
        SENDINBLUE_FROM_EMAIL: 'orders@globex.example',
        SENDINBLUE_FROM_NAME: 'Globex Orders',
        PUBLIC_URL: 'https://support.globex.example',
      },
    });
    api = integrationApi(sut);
  });

  afterAll(async () => {
    await sut.close();
    await brevo.close();
  });

  beforeEach(() => brevo.reset());

  async function order(): Promise<{ id: string; chatUrl: string; email: string }> {
    const username = aUsername();
    const email = `${username}@example.com`;
    await api.post('/api/users', { username, name: 'Ada Lovelace', email });
    const placed = (await (await api.post('/order', { username })).json()) as { id: string; chatUrl: string };
    return { ...placed, email };
  }

  // Two retries wait 5–10 s then 10–20 s (pg-boss's backoff: half the delay doubled, plus up to as
  // much again at random): up to 30 s before the third attempt, so the wait allows that and more.
  const emailOf = (orderId: string) =>
    eventually(
      async () => {
        const [row] = await sut.db.query<{
          status: string;
          provider_message_id: string | null;
          error: string | null;
          attempts: number;
        }>('SELECT status, provider_message_id, error, attempts FROM emails WHERE order_id = $1', [orderId]);
        return row && row.status !== 'queued' ? row : undefined;
      },
      `the email of order ${orderId}`,
      45_000,
    );

  it('sends the transactional template with the customer, the order and the chat link', async () => {
    const placed = await order();

    const email = await emailOf(placed.id);

    expect(email).toMatchObject({
      status: 'sent',
      provider_message_id: expect.stringMatching(/@smtp-relay\.mailin\.fr>$/),
    });
    expect(brevo.delivered).toHaveLength(1);
    expect(brevo.delivered[0]!.body).toMatchObject({
      sender: { email: 'orders@globex.example', name: 'Globex Orders' },
      to: [{ email: placed.email, name: 'Ada Lovelace' }],
      templateId: 7,
      params: {
        name: 'Ada Lovelace',
        order_id: placed.id,
        order_text: '1 × Widget ($4.99) — total $4.99',
        url: placed.chatUrl,
      },
    });
  });

  it('mails once when the job retries after an error (same idempotency key on every attempt)', async () => {
    brevo.reply({ http: 500 }, { http: 429 });
    const placed = await order();

    const email = await emailOf(placed.id);

    expect(email.status).toBe('sent');
    expect(brevo.requests.length).toBeGreaterThanOrEqual(3);
    expect(new Set(brevo.requests.map((request) => request.headers['idempotency-key'])).size).toBe(1);
    expect(brevo.delivered).toHaveLength(1);
  }, 90_000);

  it("makes a refusal visible in the customer's order history, never silent", async () => {
    brevo.reply({ http: 400, body: { code: 'invalid_parameter', message: 'Template is not active' } });
    const username = aUsername();
    await api.post('/api/users', { username, email: `${username}@example.com` });
    const { id } = (await (await api.post('/order', { username })).json()) as { id: string };

    await emailOf(id);
    const history = (await (await api.get(`/api/users/${username}/orders`)).json()) as { email: unknown }[];

    expect(history[0]!.email).toEqual({
      status: 'failed',
      error: expect.stringContaining('Template is not active'),
      providerMessageId: null,
    });
    expect(brevo.delivered).toHaveLength(0);
    expect(brevo.requests).toHaveLength(1);
  });
});
