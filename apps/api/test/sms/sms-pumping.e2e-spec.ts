import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmsRepliesService } from '../../src/sms/outbound/sms-replies.service';
import { launchAppProcess, startAppProcess, withTimeout } from '../support/app-process';
import { anAgent } from '../support/chat-clients';
import { aPhoneNumber, deliver, inboundSms } from '../support/sms-webhooks';
import { startTestApp, type TestApp } from '../support/test-app';

interface Reply {
  status: string;
  error: string | null;
  payload: Record<string, unknown>;
}

/** Nobody on the internet can make Switchboard text arbitrary numbers (SMS pumping). */
describe('SMS pumping defences', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { SMS_AUTO_PER_MINUTE: '1000' } });
  });

  afterAll(async () => {
    await sut.close();
  });

  const repliesTo = (phone: string) =>
    sut.db.query<Reply>(
      `SELECT m.status, m.error, m.payload FROM messages m JOIN tickets t ON t.id = m.ticket_id
         JOIN users u ON u.id = t.customer_id WHERE u.phone = $1 AND m.direction = 'out' ORDER BY m.id`,
      [phone.startsWith('+') ? phone : `+${phone}`],
    );

  it('texts nothing to a flood of 500 numbers in a country outside SMS_ALLOWED_COUNTRIES, but tickets them all', async () => {
    const run = Date.now().toString().slice(-5);
    const numbers = Array.from({ length: 500 }, (_, i) => `23480${run}${String(i).padStart(3, '0')}`);
    const jobsBefore = await sut.db.query(`SELECT id FROM pgboss.job WHERE name = 'sms.send'`);

    for (let i = 0; i < numbers.length; i += 50) {
      const responses = await Promise.all(
        numbers
          .slice(i, i + 50)
          .map((msisdn) => deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn }))),
      );
      expect(responses.every((response) => response.status === 204)).toBe(true);
    }

    const [counts] = await sut.db.query<{ tickets: number; suppressed: number; other: number }>(
      `SELECT count(DISTINCT t.id)::int AS tickets,
              count(m.id) FILTER (WHERE m.direction = 'out' AND m.status = 'suppressed')::int AS suppressed,
              count(m.id) FILTER (WHERE m.direction = 'out' AND m.status <> 'suppressed')::int AS other
         FROM tickets t JOIN users u ON u.id = t.customer_id LEFT JOIN messages m ON m.ticket_id = t.id
        WHERE u.phone = ANY($1)`,
      [numbers.map((n) => `+${n}`)],
    );
    expect(counts).toEqual({ tickets: 500, suppressed: 500, other: 0 });
    await expect(repliesTo(numbers[0]!)).resolves.toEqual([
      expect.objectContaining({ error: 'Not sent: NG numbers are outside SMS_ALLOWED_COUNTRIES (GB)' }),
    ]);
    await expect(sut.db.query(`SELECT id FROM pgboss.job WHERE name = 'sms.send'`)).resolves.toHaveLength(
      jobsBefore.length,
    );
  }, 120_000);

  it('sends at most 3 automated SMS to one number in an hour: 20 tickets, 3 confirmations', async () => {
    const phone = aPhoneNumber();
    for (let i = 0; i < 20; i++) {
      await deliver(
        sut.baseUrl,
        '/webhooks/inbound-sms',
        inboundSms({ msisdn: phone, text: `Problem ${i}` }),
      );
      // Resolved long ago, so the next message opens a new ticket (and would send a new confirmation).
      await sut.db.query(
        `UPDATE tickets SET status = 'resolved', resolved_at = now() - interval '30 days'
          WHERE customer_id = (SELECT id FROM users WHERE phone = $1) AND status <> 'resolved'`,
        [`+${phone}`],
      );
    }

    const replies = await repliesTo(phone);
    expect(replies).toHaveLength(20);
    expect(replies.filter((reply) => reply.status !== 'suppressed')).toHaveLength(3);
    expect(replies.slice(3).every((reply) => reply.status === 'suppressed')).toBe(true);
    expect(replies[3]!.error).toBe(
      'Not sent: this number already got 3 automated SMS in the last hour (SMS_AUTO_PER_NUMBER_PER_HOUR)',
    );
  });

  it('never caps an agent’s reply', async () => {
    const phone = aPhoneNumber();
    for (let i = 0; i < 4; i++) {
      await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: phone, text: 'HELP' }));
    }
    const [ticket] = await sut.db.query<{ id: string }>(
      `SELECT t.id::text FROM tickets t JOIN users u ON u.id = t.customer_id WHERE u.phone = $1`,
      [`+${phone}`],
    );
    const agent = await anAgent(sut);

    const replies = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        sut.app.get(SmsRepliesService).reply(ticket!.id, { agentId: agent.id, name: 'Agent' }, `Reply ${i}`),
      ),
    );

    expect(replies).toHaveLength(5);
    const statuses = (await repliesTo(phone))
      .filter((reply) => !reply.payload.automated)
      .map((reply) => reply.status);
    expect(statuses.every((status) => status !== 'suppressed')).toBe(true);
  });

  it('refuses an agent’s reply to a number outside the allowed countries, saying why', async () => {
    await deliver(sut.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn: '33612345678' }));
    const [ticket] = await sut.db.query<{ id: string }>(
      `SELECT t.id::text FROM tickets t JOIN users u ON u.id = t.customer_id WHERE u.phone = '+33612345678'`,
    );
    const agent = await anAgent(sut);

    await expect(
      sut.app.get(SmsRepliesService).reply(ticket!.id, { agentId: agent.id, name: 'Agent' }, 'Bonjour'),
    ).rejects.toMatchObject({
      status: 409,
      code: 'sms/destination_blocked',
      message: 'Cannot text this customer: FR numbers are outside SMS_ALLOWED_COUNTRIES (GB)',
    });
  });

  it('caps automated SMS per minute across all numbers', async () => {
    const app = await startTestApp({ env: { SMS_AUTO_PER_MINUTE: '5' } });
    try {
      const phones = Array.from({ length: 8 }, () => aPhoneNumber());
      // The budget is per calendar minute (the database's clock): all eight must fall in one, so a
      // run that starts near the minute's end waits for the next (a new minute is a fresh budget).
      const [{ left }] = await app.db.query<{ left: number }>(
        `SELECT 60 - extract(second FROM now())::float8 AS left`,
      );
      if (left < 20) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
      for (const msisdn of phones)
        await deliver(app.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn }));

      const [counts] = await app.db.query<{ sent: number; suppressed: number }>(
        `SELECT count(*) FILTER (WHERE status <> 'suppressed')::int AS sent,
                count(*) FILTER (WHERE status = 'suppressed' AND error LIKE '%SMS_AUTO_PER_MINUTE%')::int AS suppressed
           FROM messages WHERE direction = 'out'`,
      );
      expect(counts).toEqual({ sent: 5, suppressed: 3 });
    } finally {
      await app.close();
    }
  });

  describe('without signed webhooks', () => {
    let vonage: TestApp;

    beforeAll(async () => {
      vonage = await startTestApp({
        env: {
          VONAGE_API_KEY: 'abcd1234',
          VONAGE_API_SECRET: 'secret',
          VONAGE_NUMBER: '447700900000',
          VONAGE_REST_HOST: 'http://127.0.0.1:9',
          WEBHOOK_PATH_TOKEN: 'a-secret-path-token-of-ours',
        },
      });
    });

    afterAll(async () => {
      await vonage.close();
    });

    it('accepts only webhooks at the secret path that name our api-key', async () => {
      const phone = aPhoneNumber();
      const ours = inboundSms({ msisdn: phone });
      const secret = '/webhooks/inbound-sms/a-secret-path-token-of-ours';

      const statuses = [
        (await deliver(vonage.baseUrl, '/webhooks/inbound-sms', ours)).status,
        (await deliver(vonage.baseUrl, '/webhooks/inbound-sms/a-wrong-path-token-guessed', ours)).status,
        (await deliver(vonage.baseUrl, '/support', ours)).status,
        (await deliver(vonage.baseUrl, secret, inboundSms({ msisdn: phone, 'api-key': 'someone-else' })))
          .status,
        (await deliver(vonage.baseUrl, '/webhooks/sms-status', { messageId: 'x', status: 'delivered' }))
          .status,
        (await deliver(vonage.baseUrl, secret, ours)).status,
      ];

      expect(statuses).toEqual([404, 404, 404, 401, 404, 204]);
      await expect(
        vonage.db.query(
          `SELECT count(*)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id
                          JOIN users u ON u.id = t.customer_id WHERE u.phone = $1 AND m.direction = 'in'`,
          [`+${phone}`],
        ),
      ).resolves.toEqual([{ n: 1 }]);
    });
  });

  it('refuses to start in production without a signature secret, and warns when allowed without one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-prod-'));
    const production = {
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      API_TOKEN: 'a-production-integration-token',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://support.example.com',
      SANDBOX: 'true',
    };
    try {
      const refused = launchAppProcess(production);
      await expect(withTimeout(refused.exited, 20_000, 'exit')).resolves.toBe(1);
      expect(refused.output()).toContain('VONAGE_SIGNATURE_SECRET is required in production');

      const allowed = await startAppProcess({ ...production, VONAGE_ALLOW_UNSIGNED: 'true' });
      expect(allowed.output()).toContain('VONAGE_ALLOW_UNSIGNED=true: SMS webhooks are not signed');
      allowed.child.kill('SIGTERM');
      await withTimeout(allowed.exited, 20_000, 'exit');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
