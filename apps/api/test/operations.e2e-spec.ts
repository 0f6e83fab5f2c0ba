import { randomUUID } from 'node:crypto';
import { migrations } from '../src/database/migrations';
import { type AppProcess, startAppProcess, withTimeout } from './support/app-process';
import { type BrevoEmulator, startBrevoEmulator } from './support/brevo-emulator';
import { eventually } from './support/eventually';
import { aPhoneNumber, inboundSms } from './support/sms-webhooks';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startVonageEmulator, type VonageEmulator } from './support/vonage-emulator';

const post = (baseUrl: string, path: string, body: unknown, token?: string) =>
  fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('Operating Switchboard', () => {
  let db: TestDatabase;
  const processes: AppProcess[] = [];

  beforeEach(async () => {
    // Empty: these start real processes as on a new installation, two at once migrating it.
    db = await createTestDatabase({ empty: true });
  });

  afterEach(async () => {
    for (const app of processes.splice(0)) {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
      await app.exited;
    }
    await db.drop();
  });

  it('stops on SIGTERM under webhook load with every acknowledged webhook stored and no queued SMS lost', async () => {
    const app = await startAppProcess({ DATABASE_URL: db.url, LOG_LEVEL: 'info' });
    processes.push(app);
    const acked: string[] = [];
    let stopped = false;
    const sender = async () => {
      while (!stopped) {
        const sms = inboundSms({ msisdn: aPhoneNumber(), messageId: randomUUID() });
        try {
          const response = await post(app.baseUrl, '/webhooks/inbound-sms', sms);
          if (response.status === 204) acked.push(sms.messageId!);
        } catch {
          // refused or cut once the server stopped listening: Vonage would retry these
        }
      }
    };
    const senders = Array.from({ length: 10 }, () => sender());
    await eventually(async () => (acked.length > 200 ? true : undefined), 'load under way');

    app.child.kill('SIGTERM');
    const code = await withTimeout(app.exited, 30_000, 'exit after SIGTERM')
      .catch((error: Error) => {
        throw new Error(`${error.message}\n${app.output().slice(-3000)}`);
      })
      .finally(() => (stopped = true));
    expect(code).toBe(0);
    await Promise.all(senders);

    const stored = new Set(
      (
        await db.query<{ id: string }>(
          `SELECT provider_message_id AS id FROM messages WHERE direction = 'in'`,
        )
      ).map((row) => row.id),
    );
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    // Confirmations still queued at the stop are sent by the next start, at the SMS queue's pace (four
    // workers, a job per half-second poll each: outbound-sms.worker.ts), so the wait allows for twice
    // the time that backlog takes at that pace, on a busy CI box; and for a send job the stop left
    // active, which pg-boss hands out again once it expires (120 s, the same file).
    const queued = async () =>
      (
        await db.query<{ queued: number }>(
          `SELECT count(*)::int AS queued FROM messages WHERE direction = 'out' AND status = 'queued'`,
        )
      )[0]!.queued;
    const backlog = await queued();
    const next = await startAppProcess({ DATABASE_URL: db.url });
    processes.push(next);
    await eventually(
      async () => ((await queued()) === 0 ? true : undefined),
      `every confirmation sent (${backlog} queued at the stop)`,
      60_000 + backlog * 250 + 130_000,
    ).catch(async (error: Error) => {
      const jobs = await db.query(
        `SELECT j.state, j.retry_count, j.started_on, j.start_after, j.output FROM pgboss.job j
          WHERE j.name = 'sms.send' AND j.data->>'messageId' IN
                (SELECT id::text FROM messages WHERE direction = 'out' AND status = 'queued')`,
      );
      throw new Error(
        `${error.message}; ${await queued()} still queued, their jobs ${JSON.stringify(jobs)}\n` +
          next.output().slice(-3000),
      );
    });
  }, 420_000);

  describe('two instances on one PostgreSQL', () => {
    let vonage: VonageEmulator;
    let brevo: BrevoEmulator;

    beforeEach(async () => {
      vonage = await startVonageEmulator({ apiKey: 'abcd1234', apiSecret: 'Secret0123456789' });
      brevo = await startBrevoEmulator({ apiKey: 'xkeysib-two-instances' });
    });

    afterEach(async () => {
      await vonage.close();
      await brevo.close();
    });

    it('migrate once, and send every SMS and every email exactly once', async () => {
      const env = {
        DATABASE_URL: db.url,
        JWT_SECRET: 'the-same-signing-secret-for-both-instances',
        API_TOKEN: 'the-same-integration-token',
        VONAGE_API_KEY: vonage.apiKey,
        VONAGE_API_SECRET: vonage.apiSecret,
        VONAGE_NUMBER: '447700900000',
        VONAGE_REST_HOST: vonage.url,
        SENDINBLUE_API_KEY: brevo.apiKey,
        SENDINBLUE_API_URL: brevo.url,
        SENDINBLUE_TEMPLATE_ID: '7',
        SENDINBLUE_FROM_EMAIL: 'orders@example.com',
      };
      const [one, two] = await Promise.all([startAppProcess(env), startAppProcess(env)]);
      processes.push(one!, two!);

      const phones = Array.from({ length: 20 }, () => aPhoneNumber());
      await Promise.all(
        phones.map((msisdn, i) =>
          post([one!, two!][i % 2]!.baseUrl, '/webhooks/inbound-sms', inboundSms({ msisdn })),
        ),
      );
      const usernames = Array.from({ length: 10 }, (_, i) => `two-${i}-${randomUUID().slice(0, 8)}`);
      for (const [i, username] of usernames.entries()) {
        const app = [one!, two!][i % 2]!;
        await post(app.baseUrl, '/api/users', { username, email: `${username}@example.com` }, env.API_TOKEN);
        await post(app.baseUrl, '/order', { username }, env.API_TOKEN);
      }

      await eventually(
        async () => (vonage.requests.length >= 20 && brevo.delivered.length >= 10 ? true : undefined),
        'all sent',
        60_000,
      );
      await expect(db.query('SELECT count(*)::int AS n FROM migrations')).resolves.toEqual([
        { n: migrations.length },
      ]);
      const refs = vonage.requests.map((request) => (request.body as Record<string, string>)['client-ref']);
      expect(refs).toHaveLength(20);
      expect(new Set(refs).size).toBe(20);
      expect(brevo.delivered).toHaveLength(10);
      expect(brevo.requests).toHaveLength(10);
      for (const app of [one!, two!]) app.child.kill('SIGTERM');
      await Promise.all([one!, two!].map((app) => withTimeout(app.exited, 30_000, 'exit')));
    }, 120_000);
  });
});
