import { startVonageEmulator, type VonageEmulator } from '../../../test/support/vonage-emulator';
import { SmsSendError, type OutboundSms } from './sms-provider';
import { VonageSmsProvider, type VonageSmsProviderConfig } from './vonage.sms-provider';

const THROTTLED = 'Throughput Rate Exceeded - please wait [ 1000 ] and retry';

function anSms(overrides: Partial<OutboundSms> = {}): OutboundSms {
  return {
    to: '+447700900001',
    from: '+447700900000',
    text: 'Hi Ann, we got your message. Ticket #42.',
    clientRef: '0f8c6a1e-5d0b-4c44-9a57-2b1d3c4e5f60',
    ...overrides,
  };
}

/** The message ids the emulator answered to the last request, in order. */
function answeredIds(emulator: VonageEmulator): string[] {
  const body = emulator.requests.at(-1)?.response?.body as { messages: Array<Record<string, string>> };
  return body.messages.filter((part) => part.status === '0').map((part) => part['message-id']);
}

async function sendError(promise: Promise<unknown>): Promise<SmsSendError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof SmsSendError)) throw new Error(`expected an SmsSendError, got ${String(error)}`);
  return error;
}

describe(VonageSmsProvider.name, () => {
  let emulator: VonageEmulator;
  let sut: VonageSmsProvider;

  function provider(config: Partial<VonageSmsProviderConfig> = {}): VonageSmsProvider {
    return new VonageSmsProvider({
      apiKey: emulator.apiKey,
      apiSecret: emulator.apiSecret,
      restHost: emulator.url,
      ...config,
    });
  }

  beforeAll(async () => {
    emulator = await startVonageEmulator();
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    emulator.reset();
    sut = provider();
  });

  it('is the vonage provider', () => {
    expect(sut.name).toBe('vonage');
  });

  describe('the request Vonage receives', () => {
    it('is a JSON POST to /sms/json with Basic credentials and the numbers without "+"', async () => {
      await expect(sut.send(anSms())).resolves.toEqual({ providerMessageIds: [expect.any(String)] });

      expect(emulator.requests).toHaveLength(1);
      const [request] = emulator.requests;
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/sms/json');
      expect(request.query).toEqual({});
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.authorization).toBe(
        `Basic ${Buffer.from(`${emulator.apiKey}:${emulator.apiSecret}`).toString('base64')}`,
      );
      expect(request.body).toEqual({
        to: '447700900001',
        from: '447700900000',
        text: 'Hi Ann, we got your message. Ticket #42.',
        'client-ref': '0f8c6a1e-5d0b-4c44-9a57-2b1d3c4e5f60',
        'status-report-req': true,
        type: 'text',
      });
    });

    it('is type text for GSM accented letters and extension characters', async () => {
      await sut.send(anSms({ text: 'Café à 5€ [ok] ~ {x} \\ ^ | Ñoño, Ärger, Øre' }));
      expect(emulator.requests[0].body).toMatchObject({ type: 'text' });
    });

    it.each([
      ['an accented letter outside GSM', 'Olá, obrigado!'],
      ['an emoji', 'Thanks 👍'],
      ['a curly apostrophe', 'We’ll call you'],
      ['an em dash', 'Done — thanks'],
      ['Chinese', '谢谢'],
    ])('is type unicode for %s', async (_label, text) => {
      await sut.send(anSms({ text }));
      expect(emulator.requests[0].body).toMatchObject({ text, type: 'unicode' });
    });

    it('passes an alphanumeric sender id unchanged', async () => {
      await sut.send(anSms({ from: 'Switchbrd' }));
      expect(emulator.requests[0].body).toMatchObject({ from: 'Switchbrd', to: '447700900001' });
    });

    it('asks for delivery receipts at the status callback when one is configured', async () => {
      sut = provider({ statusCallbackUrl: 'https://desk.example.com/webhooks/sms-status' });
      await sut.send(anSms());
      expect(emulator.requests[0].body).toMatchObject({
        'status-report-req': true,
        callback: 'https://desk.example.com/webhooks/sms-status',
      });
    });

    it('sends no callback without one (the dashboard setting applies)', async () => {
      await sut.send(anSms());
      expect(emulator.requests[0].body).not.toHaveProperty('callback');
    });

    it('never puts the secret in the body or the URL', async () => {
      await sut.send(anSms());
      const [request] = emulator.requests;
      expect(request.rawBody).not.toContain(emulator.apiSecret);
      expect(JSON.stringify(request.query)).not.toContain(emulator.apiSecret);
    });
  });

  describe('when Vonage accepts', () => {
    it('returns the message id of a single part', async () => {
      const result = await sut.send(anSms());
      expect(result).toEqual({ providerMessageIds: answeredIds(emulator) });
      expect(result.providerMessageIds).toHaveLength(1);
    });

    it('returns the id of every part of a long text, in order', async () => {
      const result = await sut.send(anSms({ text: 'x'.repeat(400) }));
      expect(result.providerMessageIds).toHaveLength(3);
      expect(result).toEqual({ providerMessageIds: answeredIds(emulator) });
    });

    it('returns one id per UCS-2 part of a long unicode text', async () => {
      await expect(sut.send(anSms({ text: 'ü😀'.repeat(30) + 'á' }))).resolves.toEqual({
        providerMessageIds: [expect.any(String), expect.any(String)],
      });
    });

    it('treats a multipart message with a refused part as sent, with the ids of the parts that went out', async () => {
      emulator.reply({ parts: [{ status: '0' }, { status: '5' }, { status: '0' }] });

      const result = await sut.send(anSms({ text: 'y'.repeat(400) }));

      const ids = answeredIds(emulator);
      expect(ids).toHaveLength(2);
      expect(result).toEqual({ providerMessageIds: ids });
    });
  });

  describe('when Vonage refuses', () => {
    it('throttled (status 1): retryable, with Vonage’s text', async () => {
      emulator.reply({ status: '1', errorText: THROTTLED });

      const error = await sendError(sut.send(anSms()));

      expect(error).toBeInstanceOf(SmsSendError);
      expect(error).toMatchObject({ message: THROTTLED, retryable: true, providerStatus: '1' });
    });

    it.each([
      ['5', 'Internal Error'],
      ['10', 'Too Many Existing Binds'],
    ])('status %s (%s): retryable', async (status, errorText) => {
      emulator.reply({ status });
      await expect(sut.send(anSms())).rejects.toMatchObject({
        name: 'SmsSendError',
        message: errorText,
        retryable: true,
        providerStatus: status,
      });
    });

    it.each([
      ['15', 'Invalid Sender Address'],
      ['29', 'Non-White-listed Destination'],
      ['7', 'Number Barred'],
      ['9', 'Partner Quota Exceeded'],
      ['3', 'Invalid to param'],
    ])('status %s (%s): permanent, with Vonage’s text', async (status, errorText) => {
      emulator.reply({ status, errorText });
      await expect(sut.send(anSms())).rejects.toMatchObject({
        name: 'SmsSendError',
        message: errorText,
        retryable: false,
        providerStatus: status,
      });
    });

    it('wrong credentials (status 4, as Vonage answers them with HTTP 200): permanent', async () => {
      sut = provider({ apiSecret: 'Wrong5ecretValue' });
      await expect(sut.send(anSms())).rejects.toMatchObject({
        message: 'Bad Credentials',
        retryable: false,
        providerStatus: '4',
      });
    });

    it('every part of a multipart message refused: the SDK calls it partial, it is still a failure', async () => {
      emulator.reply({
        parts: [
          { status: '1', errorText: THROTTLED },
          { status: '1', errorText: THROTTLED },
        ],
      });
      await expect(sut.send(anSms({ text: 'z'.repeat(200) }))).rejects.toMatchObject({
        message: THROTTLED,
        retryable: true,
        providerStatus: '1',
      });
    });

    it('parts refused for different reasons: permanent if any reason is', async () => {
      emulator.reply({ parts: [{ status: '1' }, { status: '15' }] });
      await expect(sut.send(anSms({ text: 'z'.repeat(200) }))).rejects.toMatchObject({
        message: 'Invalid Sender Address',
        retryable: false,
        providerStatus: '15',
      });
    });
  });

  describe('when the HTTP call fails', () => {
    it.each([500, 502, 503, 429])('HTTP %i: retryable', async (status) => {
      emulator.reply({ http: status });
      await expect(sut.send(anSms())).rejects.toMatchObject({
        name: 'SmsSendError',
        retryable: true,
        providerStatus: `http ${status}`,
      });
    });

    it.each([401, 403, 404])('HTTP %i: permanent', async (status) => {
      emulator.reply({ http: status });
      await expect(sut.send(anSms())).rejects.toMatchObject({
        name: 'SmsSendError',
        retryable: false,
        providerStatus: `http ${status}`,
      });
    });

    it('HTTP 200 without any message status: permanent (it cannot be told whether it went out)', async () => {
      emulator.reply({ http: 200, body: '<html>Gateway says hello</html>' });
      await expect(sut.send(anSms())).rejects.toMatchObject({
        retryable: false,
        providerStatus: 'no messages',
      });
    });

    it('HTTP 200 with a body that is not JSON: permanent', async () => {
      emulator.reply({ http: 200, body: '{"message-count": "1", "messa', contentType: 'application/json' });
      await expect(sut.send(anSms())).rejects.toMatchObject({ retryable: false, providerStatus: 'http 200' });
    });

    it('no answer within timeoutMs: retryable, and fast', async () => {
      sut = provider({ timeoutMs: 300 });
      emulator.reply({ hang: true });
      const started = Date.now();

      await expect(sut.send(anSms())).rejects.toMatchObject({
        name: 'SmsSendError',
        message: 'Vonage did not answer within 300 ms',
        retryable: true,
        providerStatus: 'timeout',
      });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(emulator.requests).toHaveLength(1);
    });

    it('connection refused: retryable', async () => {
      const closed = await startVonageEmulator();
      await closed.close();
      sut = new VonageSmsProvider({ apiKey: 'k', apiSecret: 'Closed5ecretValue', restHost: closed.url });

      const error = await sendError(sut.send(anSms()));

      expect(error).toMatchObject({ retryable: true, providerStatus: 'network ECONNREFUSED' });
      expect(error.message).toMatch(/^Vonage could not be reached: .*ECONNREFUSED/);
    });

    it('a restHost that is not a URL: permanent', async () => {
      sut = provider({ restHost: 'rest.nexmo.com' });
      await expect(sut.send(anSms())).rejects.toMatchObject({ name: 'SmsSendError', retryable: false });
    });
  });

  describe('error messages', () => {
    it('never contain the API secret or the Authorization header', async () => {
      const basic = Buffer.from(`${emulator.apiKey}:${emulator.apiSecret}`).toString('base64');
      const errors: SmsSendError[] = [];
      const hanging = provider({ timeoutMs: 200 });
      emulator.reply(
        { status: '1' },
        { status: '15' },
        { http: 500 },
        { http: 401 },
        { http: 200, body: 'oops' },
        { http: 200, body: '{oops', contentType: 'application/json' },
        { hang: true },
      );
      for (let call = 0; call < 6; call++) errors.push(await sendError(sut.send(anSms())));
      errors.push(await sendError(hanging.send(anSms())));
      const refused = await startVonageEmulator();
      await refused.close();
      errors.push(
        await sendError(provider({ restHost: refused.url }).send(anSms({ text: emulator.apiSecret }))),
      );
      errors.push(await sendError(provider({ restHost: `not a url ${emulator.apiSecret}` }).send(anSms())));

      expect(errors).toHaveLength(9);
      for (const error of errors) {
        const everything = [error.message, error.stack, String(error), JSON.stringify(error)].join('\n');
        expect(everything).not.toContain(emulator.apiSecret);
        expect(everything).not.toContain(basic);
        expect(error.cause).toBeUndefined();
      }
    });

    it('redact the secret even if Vonage echoes it', async () => {
      emulator.reply({ status: '3', errorText: `Invalid api_secret ${emulator.apiSecret}` });
      await expect(sut.send(anSms())).rejects.toMatchObject({
        message: 'Invalid api_secret [redacted]',
        retryable: false,
      });
    });
  });

  describe('the emulator it runs against', () => {
    it('answers with string fields, like Vonage, including message-count', async () => {
      await sut.send(anSms());
      expect(emulator.requests[0].response).toEqual({
        status: 200,
        body: {
          'message-count': '1',
          messages: [
            {
              to: '447700900001',
              'message-id': expect.stringMatching(/^[0-9A-F]{16}$/),
              status: '0',
              'remaining-balance': expect.stringMatching(/^\d+\.\d{8}$/),
              'message-price': '0.03330000',
              network: '12345',
              'client-ref': '0f8c6a1e-5d0b-4c44-9a57-2b1d3c4e5f60',
            },
          ],
        },
      });
    });

    it('accepts the documented form body with api_key and api_secret', async () => {
      const response = await fetch(`${emulator.url}/sms/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          api_key: emulator.apiKey,
          api_secret: emulator.apiSecret,
          from: 'Acme',
          to: '447700900001',
          text: 'a'.repeat(161),
        }),
      });

      await expect(response.json()).resolves.toMatchObject({
        'message-count': '2',
        messages: [{ status: '0' }, { status: '0' }],
      });
      expect(emulator.requests[0].body).toMatchObject({ from: 'Acme', api_key: emulator.apiKey });
    });

    it('refuses a wrong form secret with status 4 and a "+" in the number with status 3', async () => {
      const post = (fields: Record<string, string>) =>
        fetch(`${emulator.url}/sms/json`, { method: 'POST', body: new URLSearchParams(fields) }).then(
          (response) => response.json(),
        );
      const fields = { api_key: emulator.apiKey, api_secret: emulator.apiSecret, from: 'Acme', text: 'hi' };

      await expect(post({ ...fields, api_secret: 'nope', to: '447700900001' })).resolves.toEqual({
        'message-count': '1',
        messages: [{ status: '4', 'error-text': 'Bad Credentials' }],
      });
      await expect(post({ ...fields, to: '+447700900001' })).resolves.toMatchObject({
        messages: [{ status: '3' }],
      });
    });
  });
});
