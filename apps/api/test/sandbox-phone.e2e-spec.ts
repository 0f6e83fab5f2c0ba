import { eventually } from './support/eventually';
import { aPhoneNumber, deliver, inboundSms } from './support/sms-webhooks';
import { startTestApp, type TestApp } from './support/test-app';

describe('GET /api/sandbox/phones/:number/messages', () => {
  describe('in sandbox mode', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp();
    });

    afterAll(async () => {
      await sut.close();
    });

    it("shows the phone's conversation: what it sent, and the confirmation reaching it as delivered", async () => {
      const phone = aPhoneNumber();
      await deliver(
        sut.baseUrl,
        '/webhooks/inbound-sms',
        inboundSms({ msisdn: phone, text: 'Where is my order?' }),
      );

      const conversation = await eventually(async () => {
        const response = await fetch(`${sut.baseUrl}/api/sandbox/phones/${phone}/messages`);
        const body = (await response.json()) as { messages: { status: string }[] };
        return body.messages.at(-1)?.status === 'delivered' ? body : undefined;
      }, 'the confirmation delivered');

      expect(conversation).toEqual({
        number: `+${phone}`,
        supportNumber: '+447700900000',
        messages: [
          expect.objectContaining({ direction: 'in', body: 'Where is my order?', status: 'received' }),
          expect.objectContaining({
            direction: 'out',
            body: expect.stringMatching(/^Dear customer, your support request has been registered/),
            status: 'delivered',
            error: null,
            createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          }),
        ],
      });
    });

    it('answers an unknown number with an empty conversation, and a malformed one with 400', async () => {
      const empty = await fetch(`${sut.baseUrl}/api/sandbox/phones/%2B15550000000/messages`);
      const malformed = await fetch(`${sut.baseUrl}/api/sandbox/phones/not-a-number/messages`);

      await expect(empty.json()).resolves.toMatchObject({ number: '+15550000000', messages: [] });
      expect(malformed.status).toBe(400);
      await expect(malformed.json()).resolves.toMatchObject({ errors: [{ field: 'number' }] });
    });
  });

  it('does not exist when Vonage is configured', async () => {
    const sut = await startTestApp({
      env: { VONAGE_API_KEY: 'abcd1234', VONAGE_API_SECRET: 'secret', VONAGE_NUMBER: '447700900000' },
    });
    try {
      const response = await fetch(`${sut.baseUrl}/api/sandbox/phones/447700900001/messages`);
      expect(response.status).toBe(404);
    } finally {
      await sut.close();
    }
  });
});

describe('Sandbox tools', () => {
  it('signs a webhook like Vonage when a signature secret is set, and hands out the shop token', async () => {
    const sut = await startTestApp({
      env: { VONAGE_SIGNATURE_SECRET: 'sandbox-secret', VONAGE_SIGNATURE_METHOD: 'sha256' },
    });
    try {
      const signed = (await (
        await fetch(`${sut.baseUrl}/api/sandbox/sign-webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ params: inboundSms({ msisdn: '447700900555' }) }),
        })
      ).json()) as { params: Record<string, string>; signed: boolean };
      const delivered = await deliver(sut.baseUrl, '/webhooks/inbound-sms', signed.params, 'form');
      const token = (await (await fetch(`${sut.baseUrl}/api/sandbox/integration-token`)).json()) as {
        token: string;
      };

      expect(signed).toMatchObject({
        signed: true,
        params: { sig: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      expect(delivered.status).toBe(204);
      expect(token.token).toMatch(/^sb_/);
    } finally {
      await sut.close();
    }
  });

  it('do not exist with a real provider', async () => {
    const sut = await startTestApp({
      env: {
        SENDINBLUE_API_KEY: 'xkeysib-x',
        SENDINBLUE_TEMPLATE_ID: '1',
        SENDINBLUE_FROM_EMAIL: 'a@example.com',
      },
    });
    try {
      expect((await fetch(`${sut.baseUrl}/api/sandbox/integration-token`)).status).toBe(404);
    } finally {
      await sut.close();
    }
  });
});
