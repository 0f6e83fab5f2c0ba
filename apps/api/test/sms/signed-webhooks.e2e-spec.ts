import { randomUUID } from 'node:crypto';
import type { SignatureMethod } from '../../src/config/app-config';
import { computeSignature } from '../../src/sms/webhook-signature';
import { aPhoneNumber, deliver, type Encoding, inboundSms } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';

const SECRET = 'a-signature-secret-for-tests';

/** Signs like Vonage: every parameter, a fresh timestamp and nonce. */
function signed(params: Record<string, string>, method: SignatureMethod, at = Math.floor(Date.now() / 1000)) {
  const withNonce = { ...params, timestamp: String(at), nonce: randomUUID() };
  return { ...withNonce, sig: computeSignature(withNonce, SECRET, method).toUpperCase() };
}

describe.each<SignatureMethod>(['md5hash', 'md5', 'sha1', 'sha256', 'sha512'])(
  'Signed webhooks (%s)',
  (method) => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp({ env: { VONAGE_SIGNATURE_SECRET: SECRET, VONAGE_SIGNATURE_METHOD: method } });
    });

    afterAll(async () => {
      await sut.close();
    });

    const stored = async (phone: string) =>
      (
        await sut.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id
           JOIN users u ON u.id = t.customer_id WHERE u.phone = $1 AND m.direction = 'in'`,
          [`+${phone}`],
        )
      )[0]!.n;

    it.each<Encoding>(['get', 'json', 'form'])(
      'accepts a correctly signed webhook (%s)',
      async (encoding) => {
        const phone = aPhoneNumber();

        const response = await deliver(
          sut.baseUrl,
          '/webhooks/inbound-sms',
          signed(inboundSms({ msisdn: phone, text: 'Order #42 & status=late' }), method),
          encoding,
        );

        expect(response.status).toBe(204);
        await expect(stored(phone)).resolves.toBe(1);
      },
    );

    it('rejects with 401 and stores nothing: unsigned, tampered, stale or from the future', async () => {
      const phone = aPhoneNumber();
      const now = Math.floor(Date.now() / 1000);
      const tampered = { ...signed(inboundSms({ msisdn: phone }), method), text: 'changed on the way' };
      const attempts = [
        inboundSms({ msisdn: phone }),
        tampered,
        signed(inboundSms({ msisdn: phone }), method, now - 330),
        signed(inboundSms({ msisdn: phone }), method, now + 330),
      ];

      const responses = await Promise.all(
        attempts.map((params) => deliver(sut.baseUrl, '/webhooks/inbound-sms', params)),
      );

      expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401]);
      await expect(responses[1]!.json()).resolves.toMatchObject({
        code: 'auth/unauthorized',
        message: 'Webhook signature rejected: sig does not match',
      });
      await expect(stored(phone)).resolves.toBe(0);
      await expect(sut.db.query('SELECT 1 FROM users WHERE phone = $1', [`+${phone}`])).resolves.toHaveLength(
        0,
      );
    });

    it('treats an identical retry as a duplicate, and a reused nonce on another request as a replay', async () => {
      const phone = aPhoneNumber();
      const first = signed(inboundSms({ msisdn: phone, text: 'first' }), method);
      await deliver(sut.baseUrl, '/webhooks/inbound-sms', first);

      const retry = await deliver(sut.baseUrl, '/webhooks/inbound-sms', first, 'form');
      const other = {
        ...inboundSms({ msisdn: phone, text: 'second' }),
        timestamp: first.timestamp,
        nonce: first.nonce,
      };
      const replay = await deliver(sut.baseUrl, '/webhooks/inbound-sms', {
        ...other,
        sig: computeSignature(other, SECRET, method),
      });

      expect(retry.status).toBe(204);
      expect(replay.status).toBe(401);
      await expect(replay.json()).resolves.toMatchObject({
        message: expect.stringMatching(/nonce was already used/),
      });
      await expect(stored(phone)).resolves.toBe(1);
    });
  },
);
