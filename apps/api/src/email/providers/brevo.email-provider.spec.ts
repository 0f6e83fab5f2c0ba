import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBrevoEmulator, type BrevoEmulator } from '../../../test/support/brevo-emulator';
import { BrevoEmailProvider, type BrevoEmailProviderConfig } from './brevo.email-provider';
import { EmailSendError, type TemplateEmail } from './email-provider';

const API_KEY = 'xkeysib-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab-Zx9Yw8Vu';
const SENDER = { email: 'orders@acme.example', name: 'ACME Support' };

function anOrderEmail(overrides: Partial<TemplateEmail> = {}): TemplateEmail {
  return {
    to: { email: 'ann@example.com', name: 'Ann Lee' },
    templateId: 7,
    params: {
      name: 'Ann Lee',
      order_id: 'A-1001',
      order_text: '1 × Blue widget, $4.99',
      url: 'https://desk.acme.example/chat/12/1001?token=abc',
    },
    idempotencyKey: 'order-1001-confirmation',
    ...overrides,
  };
}

async function sendError(promise: Promise<unknown>): Promise<EmailSendError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof EmailSendError)) throw new Error(`expected an EmailSendError, got ${String(error)}`);
  return error;
}

/**
 * A provider whose base URL has nothing listening. Short timeout: on a network error the SDK leaves
 * its own timeout timer running (it clears it only once fetch resolves), which would keep the jest
 * worker alive for the default 15 s.
 */
async function unreachable(config: Partial<BrevoEmailProviderConfig> = {}): Promise<BrevoEmailProvider> {
  return new BrevoEmailProvider({
    apiKey: API_KEY,
    baseUrl: `http://127.0.0.1:${await closedPort()}/v3`,
    sender: SENDER,
    timeoutMs: 200,
    ...config,
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(BrevoEmailProvider.name, () => {
  let emulator: BrevoEmulator;
  let sut: BrevoEmailProvider;

  function provider(config: Partial<BrevoEmailProviderConfig> = {}): BrevoEmailProvider {
    return new BrevoEmailProvider({ apiKey: API_KEY, baseUrl: emulator.url, sender: SENDER, ...config });
  }

  beforeAll(async () => {
    emulator = await startBrevoEmulator({ apiKey: API_KEY });
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    emulator.reset();
    sut = provider();
  });

  it('is the brevo provider', () => {
    expect(sut.name).toBe('brevo');
  });

  describe('the request Brevo receives', () => {
    it('is a JSON POST to /v3/smtp/email with the api-key, the idempotency key and the template', async () => {
      await expect(sut.sendTemplate(anOrderEmail())).resolves.toEqual({
        providerMessageId: expect.any(String),
      });

      expect(emulator.requests).toHaveLength(1);
      const [request] = emulator.requests;
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v3/smtp/email');
      expect(request.headers['api-key']).toBe(API_KEY);
      expect(request.headers['idempotency-key']).toBe('order-1001-confirmation');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body).toEqual({
        sender: { email: 'orders@acme.example', name: 'ACME Support' },
        to: [{ email: 'ann@example.com', name: 'Ann Lee' }],
        templateId: 7,
        params: {
          name: 'Ann Lee',
          order_id: 'A-1001',
          order_text: '1 × Blue widget, $4.99',
          url: 'https://desk.acme.example/chat/12/1001?token=abc',
        },
        headers: { idempotencyKey: 'order-1001-confirmation' },
      });
      expect(typeof request.body.templateId).toBe('number');
    });

    it('leaves out a recipient without a name', async () => {
      await sut.sendTemplate(anOrderEmail({ to: { email: 'ann@example.com' } }));
      expect(emulator.requests[0].body.to).toEqual([{ email: 'ann@example.com' }]);
    });

    it('shortens a recipient name to the 70 characters Brevo takes', async () => {
      await expect(
        sut.sendTemplate(anOrderEmail({ to: { email: 'ann@example.com', name: 'N'.repeat(90) } })),
      ).resolves.toEqual({ providerMessageId: expect.any(String) });
      expect(emulator.requests[0].body.to).toEqual([{ email: 'ann@example.com', name: 'N'.repeat(70) }]);
    });

    it('never puts the api key in the body or the URL', async () => {
      await sut.sendTemplate(anOrderEmail());
      const [request] = emulator.requests;
      expect(request.rawBody).not.toContain(API_KEY);
      expect(request.path).not.toContain(API_KEY);
    });

    it('sends nothing for a template id that is not a positive integer', async () => {
      const error = await sendError(sut.sendTemplate(anOrderEmail({ templateId: Number.NaN })));
      expect(error.retryable).toBe(false);
      expect(emulator.requests).toHaveLength(0);
    });
  });

  describe('when Brevo accepts', () => {
    it("returns Brevo's messageId", async () => {
      const result = await sut.sendTemplate(anOrderEmail());
      const answered = emulator.requests[0].response?.body as { messageId: string };
      expect(answered.messageId).toMatch(/^<.+@smtp-relay\.mailin\.fr>$/);
      expect(result).toEqual({ providerMessageId: answered.messageId });
      expect(emulator.delivered).toHaveLength(1);
    });

    it('returns the first of messageIds when Brevo answers with several', async () => {
      emulator.reply({ http: 201, body: { messageIds: ['<first@smtp-relay.mailin.fr>', '<second@x>'] } });
      await expect(sut.sendTemplate(anOrderEmail())).resolves.toEqual({
        providerMessageId: '<first@smtp-relay.mailin.fr>',
      });
    });

    it('fails without retry when a 2xx carries no message id (the email may be on its way)', async () => {
      emulator.reply({ http: 201, body: {} });
      const error = await sendError(sut.sendTemplate(anOrderEmail()));
      expect(error.retryable).toBe(false);
    });

    it('sends one email for one idempotency key, however often the job retries', async () => {
      const first = await sut.sendTemplate(anOrderEmail());
      const second = await sut.sendTemplate(anOrderEmail());

      expect(second).toEqual(first);
      expect(emulator.requests).toHaveLength(2);
      expect(emulator.delivered).toHaveLength(1);
      expect(emulator.delivered[0]).toMatchObject({
        idempotencyKey: 'order-1001-confirmation',
        templateId: 7,
      });
    });

    it('sends a second email for another key', async () => {
      await sut.sendTemplate(anOrderEmail());
      await sut.sendTemplate(anOrderEmail({ idempotencyKey: 'order-1002-confirmation' }));
      expect(emulator.delivered).toHaveLength(2);
    });

    it('delivers once when the first attempt failed and the retry went through', async () => {
      emulator.reply({ http: 500 });
      await expect(sut.sendTemplate(anOrderEmail())).rejects.toMatchObject({ retryable: true });
      await expect(sut.sendTemplate(anOrderEmail())).resolves.toEqual({
        providerMessageId: expect.any(String),
      });
      await expect(sut.sendTemplate(anOrderEmail())).resolves.toEqual({
        providerMessageId: expect.any(String),
      });
      expect(emulator.delivered).toHaveLength(1);
    });
  });

  describe('when Brevo refuses', () => {
    it("is permanent on 400, with Brevo's code and message", async () => {
      const error = await sendError(sut.sendTemplate(anOrderEmail({ to: { email: 'not-an-email' } })));
      expect(error).toMatchObject({ retryable: false, providerStatus: 'http 400' });
      expect(error.message).toContain('invalid_parameter');
      expect(error.message).toContain('email is not valid in to');
      expect(emulator.delivered).toHaveLength(0);
    });

    it('is permanent on 401 (a wrong key)', async () => {
      sut = provider({ apiKey: 'xkeysib-wrong' });
      const error = await sendError(sut.sendTemplate(anOrderEmail()));
      expect(error).toMatchObject({ retryable: false, providerStatus: 'http 401' });
      expect(error.message).toContain('unauthorized');
      expect(error.message).toContain('Key not found');
      expect(error.message).not.toContain('xkeysib-wrong');
    });

    it('is permanent on 402 (no credits)', async () => {
      emulator.reply({ http: 402 });
      const error = await sendError(sut.sendTemplate(anOrderEmail()));
      expect(error).toMatchObject({ retryable: false, providerStatus: 'http 402' });
      expect(error.message).toContain('not_enough_credits');
    });

    it.each([403, 404])('is permanent on %i', async (status) => {
      emulator.reply({ http: status });
      await expect(sut.sendTemplate(anOrderEmail())).rejects.toMatchObject({
        retryable: false,
        providerStatus: `http ${status}`,
      });
    });
  });

  describe('when Brevo cannot take it now', () => {
    it.each([429, 500, 502, 503, 408])(
      'is retryable on %i, after exactly one request (the SDK does not retry)',
      async (status) => {
        emulator.reply({ http: status });
        const started = Date.now();

        const error = await sendError(sut.sendTemplate(anOrderEmail()));

        expect(error).toBeInstanceOf(EmailSendError);
        expect(error).toMatchObject({ retryable: true, providerStatus: `http ${status}` });
        expect(emulator.requests).toHaveLength(1);
        expect(Date.now() - started).toBeLessThan(900); // no backoff sleep either
        expect(emulator.delivered).toHaveLength(0);
      },
    );

    it("keeps the start of a gateway's non-JSON answer", async () => {
      emulator.reply({ http: 502, body: '<html><body>502 Bad Gateway</body></html>' });
      const error = await sendError(sut.sendTemplate(anOrderEmail()));
      expect(error).toMatchObject({ retryable: true, providerStatus: 'http 502' });
      expect(error.message).toContain('502 Bad Gateway');
    });

    it('is retryable, and quick, when Brevo does not answer in time', async () => {
      sut = provider({ timeoutMs: 300 });
      emulator.reply({ hang: true });
      const started = Date.now();

      const error = await sendError(sut.sendTemplate(anOrderEmail()));

      expect(error).toMatchObject({ retryable: true, providerStatus: 'timeout' });
      expect(error.message).toContain('300 ms');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(emulator.requests).toHaveLength(1);
    });

    it('is retryable when nothing listens at the base URL', async () => {
      sut = await unreachable();
      const error = await sendError(sut.sendTemplate(anOrderEmail()));
      expect(error).toMatchObject({ retryable: true, providerStatus: 'network ECONNREFUSED' });
      expect(error.message).toMatch(/^Brevo could not be reached: .*ECONNREFUSED/);
    });

    it('is permanent when the base URL is not a URL (a configuration error)', async () => {
      sut = provider({ baseUrl: 'not a url', timeoutMs: 200 });
      await expect(sut.sendTemplate(anOrderEmail())).rejects.toMatchObject({ retryable: false });
    });
  });

  describe('error messages', () => {
    it.each([
      [
        'a 400 that echoes the key',
        { http: 400, body: { code: 'invalid_parameter', message: `bad ${API_KEY}` } },
      ],
      ['a 500 page that echoes the key', { http: 500, body: `upstream said ${API_KEY}` }],
      ['a 401', { http: 401 }],
      ['a 429', { http: 429 }],
    ] as const)('never contain the api key: %s', async (_label, answer) => {
      emulator.reply(answer);
      const error = await sendError(sut.sendTemplate(anOrderEmail()));
      expect(error.message).not.toContain(API_KEY);
      expect(JSON.stringify(error)).not.toContain(API_KEY);
      expect(String(error.stack)).not.toContain(API_KEY);
    });

    it('never contain the api key on a timeout or a network error', async () => {
      sut = provider({ timeoutMs: 200 });
      emulator.reply({ hang: true });
      const timeout = await sendError(sut.sendTemplate(anOrderEmail()));
      sut = await unreachable();
      const refused = await sendError(sut.sendTemplate(anOrderEmail()));

      for (const error of [timeout, refused]) {
        expect(error.message).not.toContain(API_KEY);
        expect(JSON.stringify(error)).not.toContain(API_KEY);
      }
    });
  });

  describe('the emulator behind these tests', () => {
    async function post(body: unknown, headers: Record<string, string> = { 'api-key': API_KEY }) {
      const response = await fetch(`${emulator.url}/smtp/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    }
    const valid = { sender: SENDER, to: [{ email: 'ann@example.com' }], templateId: 7, params: {} };

    it('refuses a templateId sent as a string, as Brevo does', async () => {
      await expect(post({ ...valid, templateId: '7' })).resolves.toEqual({
        status: 400,
        body: { code: 'invalid_parameter', message: expect.any(String) },
      });
    });

    it('refuses a request without the api-key header', async () => {
      await expect(post(valid, {})).resolves.toEqual({
        status: 401,
        body: { code: 'unauthorized', message: 'Key not found' },
      });
    });

    it('refuses an email without a template and without content', async () => {
      const { templateId: _templateId, ...withoutTemplate } = valid;
      await expect(post(withoutTemplate)).resolves.toMatchObject({ status: 400 });
      await expect(
        post({ ...withoutTemplate, subject: 'Hi', htmlContent: '<p>Hi</p>' }),
      ).resolves.toMatchObject({
        status: 201,
      });
    });
  });
});
