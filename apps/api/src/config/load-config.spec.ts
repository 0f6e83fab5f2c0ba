import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const APPLICATION_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab';
const RTC_TOKEN = 'rtc-token-0123456789abcdef';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/switchboard');

/** A production configuration that starts: both real providers, signed webhooks, every secret. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(32),
  API_TOKEN: 't'.repeat(16),
  PUBLIC_URL: 'https://support.example.com',
  VONAGE_API_KEY: 'abcd1234',
  VONAGE_API_SECRET: 'secret',
  VONAGE_NUMBER: '447700900123',
  VONAGE_SIGNATURE_SECRET: 'a-secret-value',
  SENDINBLUE_API_KEY: 'xkeysib-1',
  SENDINBLUE_TEMPLATE_ID: '7',
  SENDINBLUE_FROM_EMAIL: 'support@example.com',
};
const without = (env: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe(loadConfig.name, () => {
  it('runs out of the box: sandbox providers, embedded database in .data, port 3000', () => {
    const sut = load({});
    expect(sut).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: '/srv/switchboard/.data',
      companyName: 'ACME',
      supportNumber: '+447700900000',
      sandbox: { phone: true, mailbox: true, agentsOnly: false },
      pools: { database: 20, jobs: 4 },
    });
    expect(sut.trustProxy).toBeUndefined();
    expect(sut.vonage).toBeUndefined();
    expect(sut.sendinblue).toBeUndefined();
  });

  it('reads the real providers when their credentials are set', () => {
    const sut = load({
      VONAGE_API_KEY: 'abcd1234',
      VONAGE_API_SECRET: 'secret',
      VONAGE_NUMBER: '447700900123',
      VONAGE_REST_HOST: 'http://127.0.0.1:4010',
      SENDINBLUE_API_KEY: 'xkeysib-1',
      SENDINBLUE_TEMPLATE_ID: '7',
      SENDINBLUE_FROM_EMAIL: 'support@example.com',
      SUPPORT_COMPANY_NAME: 'Globex',
      PUBLIC_URL: 'https://support.example.com/',
      DATA_DIR: '/var/lib/switchboard',
    });
    expect(sut.vonage).toEqual({
      apiKey: 'abcd1234',
      apiSecret: 'secret',
      restHost: 'http://127.0.0.1:4010',
      apiHost: undefined,
    });
    expect(sut.sendinblue).toEqual({
      apiKey: 'xkeysib-1',
      apiUrl: undefined,
      templateId: 7,
      fromEmail: 'support@example.com',
      fromName: 'Globex Support',
    });
    expect(sut.supportNumber).toBe('+447700900123');
    expect(sut.publicUrl).toBe('https://support.example.com');
    expect(sut.dataDir).toBe('/var/lib/switchboard');
    expect(sut.sandbox).toBeUndefined();
  });

  it("accepts the tutorials' NEXMO_* and Brevo's BREVO_* names as aliases", () => {
    const sut = load({
      NEXMO_API_KEY: 'abcd1234',
      NEXMO_API_SECRET: 'secret',
      NEXMO_NUMBER: '447700900123',
      BREVO_API_KEY: 'xkeysib-1',
      BREVO_TEMPLATE_ID: '3',
      BREVO_FROM_EMAIL: 'shop@example.com',
    });
    expect(sut.vonage?.apiKey).toBe('abcd1234');
    expect(sut.supportNumber).toBe('+447700900123');
    expect(sut.sendinblue?.templateId).toBe(3);
  });

  it('refuses an alias that contradicts the variable it stands for', () => {
    expect(
      problemsOf({
        VONAGE_API_KEY: 'one',
        NEXMO_API_KEY: 'two',
        VONAGE_API_SECRET: 's',
        VONAGE_NUMBER: '447700900123',
      }),
    ).toEqual([expect.stringMatching(/NEXMO_API_KEY and VONAGE_API_KEY are both set/)]);
  });

  it('treats blank values as unset', () => {
    expect(load({ VONAGE_API_KEY: '', PORT: '  ' })).toMatchObject({ port: 3000, sandbox: { phone: true } });
  });

  it('lists every problem at once, naming each variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUBLIC_URL: 'support.example.com',
      DATABASE_URL: 'mysql://db',
      VONAGE_API_KEY: 'abcd1234',
      VONAGE_SIGNATURE_METHOD: 'sha3',
      SENDINBLUE_API_KEY: 'xkeysib-1',
      NODE_ENV: 'production',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT must be a whole number'),
        expect.stringContaining('PUBLIC_URL must be the http(s) origin'),
        expect.stringContaining('DATABASE_URL must be a postgres:// URL'),
        expect.stringContaining('VONAGE_API_SECRET is required'),
        expect.stringContaining('VONAGE_NUMBER must be your Vonage virtual number'),
        expect.stringContaining('VONAGE_SIGNATURE_METHOD must be one of md5hash, md5, sha1, sha256, sha512'),
        expect.stringContaining('SENDINBLUE_TEMPLATE_ID must be the numeric id'),
        expect.stringContaining('SENDINBLUE_FROM_EMAIL must be a sender address'),
        expect.stringContaining('JWT_SECRET is required in production'),
        expect.stringContaining('API_TOKEN is required in production'),
        expect.stringContaining('VONAGE_SIGNATURE_SECRET is required in production'),
      ]),
    );
    expect(problems).toHaveLength(11);
  });

  it('puts every problem in the one error message', () => {
    expect(() => load({ PORT: '0', SENDINBLUE_TEMPLATE_ID: 'x' })).toThrow(
      /Invalid configuration:\n {2}- PORT must not be less than 1\n {2}- SENDINBLUE_TEMPLATE_ID must be the numeric id/,
    );
  });

  it('accepts the signature method in any case and defaults it to md5hash', () => {
    expect(
      load({ VONAGE_SIGNATURE_SECRET: 'a-secret-value', VONAGE_SIGNATURE_METHOD: 'SHA256' }).signature,
    ).toEqual({
      secret: 'a-secret-value',
      method: 'sha256',
    });
    expect(load({ VONAGE_SIGNATURE_SECRET: 'a-secret-value' }).signature?.method).toBe('md5hash');
  });

  it('refuses production without signed webhooks, unless allowed on purpose', () => {
    const production = { ...PRODUCTION, VONAGE_SIGNATURE_SECRET: '' };

    expect(problemsOf(production)).toEqual([
      expect.stringMatching(/^VONAGE_SIGNATURE_SECRET is required in production/),
    ]);
    expect(load({ ...production, VONAGE_SIGNATURE_SECRET: 'a-secret-value' }).webhooks.allowUnsigned).toBe(
      false,
    );
    expect(load({ ...production, VONAGE_ALLOW_UNSIGNED: 'TRUE' }).webhooks.allowUnsigned).toBe(true);
  });

  it('limits automated SMS and their destinations by default to the support number’s country', () => {
    expect(load({}).sms).toMatchObject({
      autoPerNumberPerHour: 3,
      autoPerMinute: 60,
      allowedCountries: ['GB'],
    });
    expect(load({ VONAGE_NUMBER: '12025550123' }).sms.allowedCountries).toEqual(['US']);
    expect(load({ SMS_ALLOWED_COUNTRIES: 'gb, us' }).sms.allowedCountries).toEqual(['GB', 'US']);
    expect(problemsOf({ SMS_ALLOWED_COUNTRIES: 'GB,XX' })).toEqual([
      'SMS_ALLOWED_COUNTRIES has unknown country codes: XX',
    ]);
    expect(problemsOf({ SMS_ALLOWED_COUNTRIES: 'United Kingdom' })).toEqual([
      expect.stringMatching(/^SMS_ALLOWED_COUNTRIES must be ISO country codes/),
    ]);
  });

  it('listens on every interface in production only', () => {
    expect(load(PRODUCTION).host).toBe('0.0.0.0');
    expect(load({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  describe('in production', () => {
    it('starts with both real providers and no sandbox at all', () => {
      expect(load(PRODUCTION).sandbox).toBeUndefined();
    });

    it('refuses to start with one provider configured and not the other, naming what is missing', () => {
      const noEmail = without(
        PRODUCTION,
        'SENDINBLUE_API_KEY',
        'SENDINBLUE_TEMPLATE_ID',
        'SENDINBLUE_FROM_EMAIL',
      );
      expect(problemsOf(noEmail)).toEqual([
        'Production needs real providers, and email (SENDINBLUE_API_KEY, SENDINBLUE_TEMPLATE_ID, ' +
          'SENDINBLUE_FROM_EMAIL) is not configured: set the missing variables, or set SANDBOX=true to run ' +
          'sandbox stand-ins that only signed-in agents can use',
      ]);
      const noSms = without(PRODUCTION, 'VONAGE_API_KEY', 'VONAGE_API_SECRET', 'VONAGE_NUMBER');
      expect(problemsOf(noSms)).toEqual([
        expect.stringMatching(/^Production needs real providers, and SMS \(/),
      ]);
      const neither = without(noSms, 'SENDINBLUE_API_KEY', 'SENDINBLUE_TEMPLATE_ID', 'SENDINBLUE_FROM_EMAIL');
      expect(problemsOf(neither)).toEqual([
        expect.stringMatching(
          /^Production needs real providers, and SMS \(.*\) and email \(.*\) are not configured/,
        ),
      ]);
    });

    it('runs the missing provider as a sandbox for agents only when SANDBOX=true says so', () => {
      const noEmail = without(
        PRODUCTION,
        'SENDINBLUE_API_KEY',
        'SENDINBLUE_TEMPLATE_ID',
        'SENDINBLUE_FROM_EMAIL',
      );
      expect(load({ ...noEmail, SANDBOX: 'TRUE' }).sandbox).toEqual({
        phone: false,
        mailbox: true,
        agentsOnly: true,
      });
      expect(problemsOf({ ...noEmail, SANDBOX: 'yes' })).toContain('SANDBOX must be true or false');
      // Outside production the sandbox needs no switch, and stays open.
      expect(load({ SANDBOX: 'false' }).sandbox).toEqual({ phone: true, mailbox: true, agentsOnly: false });
    });

    it('requires PUBLIC_URL: links in emails must not point at localhost', () => {
      expect(problemsOf(without(PRODUCTION, 'PUBLIC_URL'))).toEqual([
        expect.stringMatching(/^PUBLIC_URL must be the http\(s\) origin .*\(required in production\)$/),
      ]);
      for (const local of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
        expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: local })).toEqual([
          `PUBLIC_URL is ${local} in production: customers and Vonage cannot reach this machine's own address`,
        ]);
      }
    });

    it('refuses CORS_ORIGINS=*, which only development accepts', () => {
      expect(problemsOf({ ...PRODUCTION, CORS_ORIGINS: '*' })).toEqual([
        expect.stringMatching(/^CORS_ORIGINS=\* is refused in production: list the origins/),
      ]);
      expect(load({ ...PRODUCTION, CORS_ORIGINS: 'https://shop.example.com' }).corsOrigins).toEqual([
        'https://shop.example.com',
      ]);
      expect(load({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    });
  });

  it('trusts the proxies TRUST_PROXY names, by hop count or by address, and never every hop', () => {
    expect(load({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(load({ TRUST_PROXY: '10.0.0.0/8, 172.16.0.0/12,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '172.16.0.0/12',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(problemsOf({ TRUST_PROXY: 'true' })).toEqual([
      expect.stringMatching(/^TRUST_PROXY must be the number of proxies .*; not: true$/),
    ]);
    expect(problemsOf({ TRUST_PROXY: '10.0.0.0/33,proxy.internal' })).toEqual([
      expect.stringMatching(/; not: 10\.0\.0\.0\/33, proxy\.internal$/),
    ]);
  });

  it('takes the pool sizes and the metrics port', () => {
    const sut = load({ DATABASE_POOL_SIZE: '8', JOBS_POOL_SIZE: '3', METRICS_PORT: '9464' });
    expect(sut.pools).toEqual({ database: 8, jobs: 3 });
    expect(sut.metricsPort).toBe(9464);
    expect(problemsOf({ DATABASE_POOL_SIZE: '1', JOBS_POOL_SIZE: 'many' })).toEqual([
      'DATABASE_POOL_SIZE must not be less than 2',
      'JOBS_POOL_SIZE must be a whole number of connections',
    ]);
  });

  it("searches words as typed by default, and stems them in SEARCH_LANGUAGE's language", () => {
    expect(load({}).searchLanguage).toBe('simple');
    expect(load({ SEARCH_LANGUAGE: ' English ' }).searchLanguage).toBe('english');
    expect(problemsOf({ SEARCH_LANGUAGE: 'klingon' })).toEqual([
      expect.stringMatching(/^SEARCH_LANGUAGE must be one of simple, arabic, .*english/),
    ]);
  });

  it('reads the inbox from DATABASE_READ_URL, a replica of DATABASE_URL, which it needs', () => {
    const urls = {
      DATABASE_URL: 'postgres://db/switchboard',
      DATABASE_READ_URL: 'postgres://replica/switchboard',
    };
    expect(load(urls).databaseReadUrl).toBe('postgres://replica/switchboard');
    expect(problemsOf({ DATABASE_READ_URL: 'postgres://replica/switchboard' })).toEqual([
      'DATABASE_READ_URL is a replica of DATABASE_URL, which is not set (the embedded database has none)',
    ]);
  });

  describe('Vonage Conversations', () => {
    it('is off without an application: the built-in chat alone', () => {
      expect(load({}).conversations).toBeUndefined();
    });

    it('reads the private key from VONAGE_PRIVATE_KEY_PATH, relative to the working directory', () => {
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-key-'));
      writeFileSync(join(dir, 'private.key'), PRIVATE_KEY);

      const sut = loadConfig(
        {
          VONAGE_APPLICATION_ID: APPLICATION_ID,
          VONAGE_PRIVATE_KEY_PATH: 'private.key',
          VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN,
          VONAGE_API_HOST: 'http://127.0.0.1:4020',
        },
        dir,
      );

      expect(sut.conversations).toEqual({
        applicationId: APPLICATION_ID,
        privateKey: PRIVATE_KEY,
        apiHost: 'http://127.0.0.1:4020',
        rtcWebhookToken: RTC_TOKEN,
        userPrefix: 'switchboard',
      });
    });

    it('takes a per-deployment prefix for Vonage user names, and refuses one Vonage would not take', () => {
      const env = { VONAGE_APPLICATION_ID: APPLICATION_ID, VONAGE_PRIVATE_KEY: PRIVATE_KEY };
      expect(
        load({ ...env, VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN, VONAGE_USER_PREFIX: 'shop-eu' }).conversations
          ?.userPrefix,
      ).toBe('shop-eu');
      expect(
        problemsOf({ ...env, VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN, VONAGE_USER_PREFIX: 'a b/c' }),
      ).toEqual([expect.stringMatching(/^VONAGE_USER_PREFIX must be 1 to 40/)]);
    });

    it("takes the key inline too, with \\n for line breaks, and the tutorial's NEXMO_* names", () => {
      const sut = load({
        NEXMO_APPLICATION_ID: APPLICATION_ID,
        NEXMO_PRIVATE_KEY: PRIVATE_KEY.replace(/\n/g, '\\n'),
        VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN,
      });
      expect(sut.conversations?.privateKey).toBe(PRIVATE_KEY);
    });

    it('never makes the sandbox pages go away by itself', () => {
      expect(
        load({
          VONAGE_APPLICATION_ID: APPLICATION_ID,
          VONAGE_PRIVATE_KEY: PRIVATE_KEY,
          VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN,
        }).sandbox,
      ).toEqual({ phone: true, mailbox: true, agentsOnly: false });
    });

    it('names what is missing or wrong, never quoting the key', () => {
      expect(problemsOf({ VONAGE_APPLICATION_ID: APPLICATION_ID })).toEqual([
        expect.stringMatching(/^VONAGE_RTC_WEBHOOK_TOKEN must be 16 to 128/),
        expect.stringMatching(/^VONAGE_PRIVATE_KEY_PATH \(or VONAGE_PRIVATE_KEY\) is required/),
      ]);
      expect(problemsOf({ VONAGE_PRIVATE_KEY_PATH: '/etc/key' })).toEqual([
        'VONAGE_APPLICATION_ID is required with VONAGE_PRIVATE_KEY_PATH',
      ]);
      expect(
        problemsOf({
          VONAGE_APPLICATION_ID: APPLICATION_ID,
          VONAGE_PRIVATE_KEY_PATH: '/nonexistent/private.key',
          VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN,
        }),
      ).toEqual(['VONAGE_PRIVATE_KEY_PATH cannot be read: ENOENT']);
      const broken = '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----';
      const problems = problemsOf({
        VONAGE_APPLICATION_ID: 'app-1',
        VONAGE_PRIVATE_KEY: broken,
        VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN,
      });
      expect(problems).toEqual([
        expect.stringMatching(/^VONAGE_APPLICATION_ID must be the id of your Vonage application/),
        'VONAGE_PRIVATE_KEY is not a PEM private key',
      ]);
      expect(problems.join()).not.toContain('not a key');
    });
  });
  describe('voice (click-to-call)', () => {
    const VONAGE_SMS = {
      VONAGE_API_KEY: 'abcd1234',
      VONAGE_API_SECRET: 'secret',
      VONAGE_NUMBER: '447700900000',
      VONAGE_SIGNATURE_SECRET: 'signature-secret',
    };
    const APPLICATION = { VONAGE_APPLICATION_ID: APPLICATION_ID, VONAGE_PRIVATE_KEY: PRIVATE_KEY };

    it('simulates calls in the sandbox, and offers none with real SMS but no VONAGE_VOICE', () => {
      expect(load({}).voice).toEqual({ provider: 'sandbox', callsPerHour: 3 });
      expect(load({ ...VONAGE_SMS, VOICE_CALLS_PER_HOUR: '5' }).voice).toBeUndefined();
    });

    it('calls through the Vonage application with VONAGE_VOICE=true, which needs no RTC token: chat stays built-in', () => {
      const sut = load({ ...VONAGE_SMS, ...APPLICATION, VONAGE_VOICE: 'TRUE', VOICE_CALLS_PER_HOUR: '5' });
      expect(sut.voice).toEqual({
        provider: 'vonage',
        callsPerHour: 5,
        userPrefix: 'switchboard',
        application: { applicationId: APPLICATION_ID, privateKey: PRIVATE_KEY.trim(), apiHost: undefined },
      });
      expect(sut.conversations).toBeUndefined();
      const both = load({
        ...VONAGE_SMS,
        ...APPLICATION,
        VONAGE_VOICE: 'true',
        VONAGE_RTC_WEBHOOK_TOKEN: RTC_TOKEN,
      });
      expect(both.voice?.provider).toBe('vonage');
      expect(both.conversations?.applicationId).toBe(APPLICATION_ID);
    });

    it('names what VONAGE_VOICE=true lacks: the application, the number, the signature secret', () => {
      expect(problemsOf({ VONAGE_VOICE: 'true' })).toEqual([
        expect.stringMatching(/^VONAGE_VOICE=true needs VONAGE_APPLICATION_ID/),
        expect.stringMatching(/^VONAGE_VOICE=true needs VONAGE_API_KEY and VONAGE_NUMBER/),
        expect.stringMatching(/^VONAGE_VOICE=true needs VONAGE_SIGNATURE_SECRET/),
      ]);
      expect(problemsOf({ VONAGE_VOICE: 'yes', VOICE_CALLS_PER_HOUR: '0' })).toEqual([
        'VONAGE_VOICE must be true or false',
        'VOICE_CALLS_PER_HOUR must be a whole number, 1 to 60',
      ]);
    });
  });
});
