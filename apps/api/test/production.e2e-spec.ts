import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { freePort } from '../src/database/embedded-postgres';
import { aSignedInAgent } from './support/agents';
import { launchAppProcess, startAppProcess, withTimeout } from './support/app-process';
import { aCustomerWithAnOrder } from './support/chat-clients';
import { startBrevoEmulator, type BrevoEmulator } from './support/brevo-emulator';
import { eventually } from './support/eventually';
import { startTestApp, type TestApp } from './support/test-app';
import { startVonageEmulator, type VonageEmulator } from './support/vonage-emulator';

const API_TOKEN = 'production-integration-token-7f3a9c';
const JWT_SECRET = 'production-signing-secret-0123456789abcdef';

/** What an operator sets for a production start, minus the providers. */
const PRODUCTION = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'https://support.example.com',
  JWT_SECRET,
  API_TOKEN,
  VONAGE_SIGNATURE_SECRET: 'production-signature-secret',
  // Sign-ins come from addresses of their own (test/support/agents.ts), as a proxy would say.
  TRUST_PROXY: 'loopback',
};
const vonageEnv = (vonage: VonageEmulator) => ({
  VONAGE_API_KEY: vonage.apiKey,
  VONAGE_API_SECRET: vonage.apiSecret,
  VONAGE_NUMBER: '447700900123',
  VONAGE_REST_HOST: vonage.url,
});
const brevoEnv = (brevo: BrevoEmulator) => ({
  SENDINBLUE_API_KEY: 'xkeysib-production',
  SENDINBLUE_API_URL: brevo.url,
  SENDINBLUE_TEMPLATE_ID: '7',
  SENDINBLUE_FROM_EMAIL: 'support@example.com',
});

describe('Production', () => {
  let vonage: VonageEmulator;
  let brevo: BrevoEmulator;

  beforeAll(async () => {
    vonage = await startVonageEmulator();
    brevo = await startBrevoEmulator();
  });

  afterAll(async () => {
    await vonage.close();
    await brevo.close();
  });

  describe('half-configured: Vonage set up, email not yet', () => {
    it('refuses to start, naming what is missing, and starts with SANDBOX=true, warning about it', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-production-'));
      const env = { ...PRODUCTION, ...vonageEnv(vonage), DATA_DIR: dataDir };
      try {
        const refused = launchAppProcess(env);
        await expect(withTimeout(refused.exited, 20_000, 'exit')).resolves.toBe(1);
        expect(refused.output()).toContain(
          'Production needs real providers, and email (SENDINBLUE_API_KEY, SENDINBLUE_TEMPLATE_ID, ' +
            'SENDINBLUE_FROM_EMAIL) is not configured: set the missing variables, or set SANDBOX=true',
        );
        expect(refused.output()).not.toContain(API_TOKEN);

        const started = await startAppProcess({ ...env, SANDBOX: 'true' });
        expect(started.output()).toMatch(/SANDBOX=true in production: email goes to sandbox stand-ins/);
        expect(started.output()).not.toContain(API_TOKEN);
        started.child.kill('SIGTERM');
        await withTimeout(started.exited, 20_000, 'exit');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 90_000);

    describe('with SANDBOX=true', () => {
      let sut: TestApp;

      beforeAll(async () => {
        sut = await startTestApp({ env: { ...PRODUCTION, ...vonageEnv(vonage), SANDBOX: 'true' } });
      });

      afterAll(async () => {
        await sut.close();
      });

      const get = (path: string, token?: string) =>
        fetch(`${sut.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

      it('shows the sandbox mailbox to signed-in agents only, and the integration token to nobody', async () => {
        const customer = await aCustomerWithAnOrder(sut);
        const agent = await aSignedInAgent(sut);

        expect((await get('/api/sandbox/emails')).status).toBe(401);
        expect((await get('/api/sandbox/emails', customer.accessToken)).status).toBe(403);
        const linkToken = new URL(customer.chatUrl).searchParams.get('token')!;
        await eventually(async () => {
          const mailbox = await get('/api/sandbox/emails', agent.accessToken);
          return mailbox.status === 200 && (await mailbox.text()).includes(linkToken) ? true : undefined;
        }, 'the order email in the agents-only mailbox');
        for (const token of [undefined, agent.accessToken]) {
          expect((await get('/api/sandbox/integration-token', token)).status).toBe(404);
        }
        // SMS are real: no phone simulator, no webhook signer with the real secret.
        expect((await get('/api/sandbox/phones/447700900001/messages', agent.accessToken)).status).toBe(404);
        const sign = await fetch(`${sut.baseUrl}/api/sandbox/sign-webhook`, {
          method: 'POST',
          headers: { authorization: `Bearer ${agent.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ params: { msisdn: '447700900001' } }),
        });
        expect(sign.status).toBe(404);
      });

      it('gives no demo agent a generated password, and tells the public pages only what they need', async () => {
        await expect(
          sut.db.query(`SELECT email FROM users WHERE email = 'agent@switchboard.local'`),
        ).resolves.toEqual([]);
        await expect((await get('/api/site')).json()).resolves.toEqual({
          companyName: 'ACME',
          supportNumber: '+447700900123',
          sandbox: { phone: false, mailbox: true, shop: true, integrationToken: false, agentsOnly: true },
          demoAgent: null,
        });
      });

      it('answers no anonymous request with a token, a chat link or a secret, whatever the route', async () => {
        const customer = await aCustomerWithAnOrder(sut);
        const linkToken = new URL(customer.chatUrl).searchParams.get('token')!;
        const document = (await (await get('/api/docs-json')).json()) as OpenAPIObject;
        const paths = Object.entries(document.paths)
          .filter(([, item]) => item.get)
          .map(([path]) =>
            path
              .replace('{id}', customer.conversationId)
              .replace('{username}', customer.username)
              .replace('{number}', '447700900001')
              .replace('{token}', 'x'.repeat(16)),
          );
        expect(paths.length).toBeGreaterThan(10);

        for (const path of ['/', '/agent', '/sandbox/mail', '/api/docs', ...paths]) {
          const body = await (await get(path)).text();
          for (const secret of [API_TOKEN, JWT_SECRET, linkToken, customer.accessToken]) {
            expect({ path, leaked: body.includes(secret) }).toEqual({ path, leaked: false });
          }
          expect({ path, jwt: /eyJ[\w-]{10,}\.eyJ/.test(body) }).toEqual({ path, jwt: false });
        }
      });
    });
  });

  describe('fully configured', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp({
        env: { ...PRODUCTION, ...vonageEnv(vonage), ...brevoEnv(brevo) },
      });
    });

    afterAll(async () => {
      await sut.close();
    });

    it('has no sandbox at all, not even for agents', async () => {
      const agent = await aSignedInAgent(sut);
      for (const path of [
        '/api/sandbox/emails',
        '/api/sandbox/integration-token',
        '/api/sandbox/phones/447700900001/messages',
      ]) {
        const response = await fetch(`${sut.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${agent.accessToken}` },
        });
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
      }
      await expect((await fetch(`${sut.baseUrl}/api/site`)).json()).resolves.toMatchObject({
        sandbox: null,
        demoAgent: null,
      });
    });

    it('keeps /metrics off the public port without METRICS_TOKEN', async () => {
      expect((await fetch(`${sut.baseUrl}/metrics`)).status).toBe(404);
    });
  });

  describe('metrics', () => {
    const apps: TestApp[] = [];

    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    const start = async (env: Record<string, string>) => {
      const app = await startTestApp({
        env: { ...PRODUCTION, ...vonageEnv(vonage), ...brevoEnv(brevo), ...env },
      });
      apps.push(app);
      return app;
    };

    it('serves them on METRICS_PORT, an internal port of their own, and only there', async () => {
      const metricsPort = await freePort();
      const sut = await start({ METRICS_PORT: String(metricsPort) });

      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      await expect(scrape.text()).resolves.toContain('switchboard_sockets_connected');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/api/site`)).status).toBe(404);
      expect((await fetch(`${sut.baseUrl}/metrics`)).status).toBe(404);
    });

    it('serves them on the public port to whoever sends METRICS_TOKEN', async () => {
      const sut = await start({ METRICS_TOKEN: 'a-prometheus-scrape-token' });

      expect((await fetch(`${sut.baseUrl}/metrics`)).status).toBe(401);
      const scrape = await fetch(`${sut.baseUrl}/metrics`, {
        headers: { authorization: 'Bearer a-prometheus-scrape-token' },
      });
      expect(scrape.status).toBe(200);
    });
  });
});
