import { randomUUID } from 'node:crypto';
import { computeSignature } from '../../src/sms/webhook-signature';
import { type BrevoEmulator, startBrevoEmulator } from './brevo-emulator';
import { startTestApp, type TestApp } from './test-app';
import {
  startVonageConversationsEmulator,
  type VonageConversationsEmulator,
} from './vonage-conversations-emulator';
import { startVonageEmulator, type VonageEmulator } from './vonage-emulator';

/** How an installation is set up, as far as who may call what depends on it. */
export interface Deployment {
  name: string;
  production: boolean;
  /** The sandbox tools: open (outside production), agents only (production with SANDBOX=true), or none. */
  sandbox: 'open' | 'agents-only' | 'none';
  jwtSecret: string;
  apiToken: string;
  /** SMS webhooks: signed with this secret (md5hash), else unsigned. */
  signatureSecret?: string;
  /** Unsigned SMS webhooks must carry this `api-key` (real Vonage SMS). */
  vonageApiKey?: string;
  /** WEBHOOK_PATH_TOKEN: the SMS webhooks answer only at `…/<token>`. */
  pathToken?: string;
  metricsToken?: string;
  /** VONAGE_RTC_WEBHOOK_TOKEN: Vonage Conversations is the chat provider. */
  rtcToken?: string;
}

export interface RunningDeployment {
  deployment: Deployment;
  sut: TestApp;
  /** Vonage's SMS API, when SMS are real (emulated). */
  vonage?: VonageEmulator;
  close(): Promise<void>;
}

const COMMON = {
  JWT_SECRET: 'a-jwt-secret-for-the-route-tests-0123456789',
  API_TOKEN: 'sb_integration-token-for-route-tests',
  // Every request names its own client address, so per-address rate limits never decide a status.
  TRUST_PROXY: 'loopback',
  LOG_LEVEL: 'silent',
};

const PRODUCTION = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://support.example.com',
};

/** Outside production with no provider configured: what a fresh checkout and most tests run. */
export const DEVELOPMENT: Deployment = {
  name: 'development, sandbox providers',
  production: false,
  sandbox: 'open',
  jwtSecret: COMMON.JWT_SECRET,
  apiToken: COMMON.API_TOKEN,
};

/** Production on purpose without providers: signed webhooks behind a path token, metrics behind a token. */
export const PRODUCTION_SANDBOX: Deployment = {
  name: 'production, SANDBOX=true',
  production: true,
  sandbox: 'agents-only',
  jwtSecret: COMMON.JWT_SECRET,
  apiToken: COMMON.API_TOKEN,
  signatureSecret: 'vonage-signature-secret-0123',
  // As long as the configuration allows: the path segment must still fit the router.
  pathToken: `path-token-${'0123456789'.repeat(12)}`.slice(0, 128),
  metricsToken: 'metrics-token-0123456789',
};

/** Production with real (emulated) Vonage SMS, Brevo and Vonage Conversations; unsigned SMS webhooks. */
export const PRODUCTION_PROVIDERS: Deployment = {
  name: 'production, real providers',
  production: true,
  sandbox: 'none',
  jwtSecret: COMMON.JWT_SECRET,
  apiToken: COMMON.API_TOKEN,
  vonageApiKey: 'abcd1234',
  rtcToken: `rtc-token-${'abcdefghij'.repeat(12)}`.slice(0, 128),
};

export async function startDeployment(deployment: Deployment): Promise<RunningDeployment> {
  const env: Record<string, string> = {
    ...COMMON,
    JWT_SECRET: deployment.jwtSecret,
    API_TOKEN: deployment.apiToken,
    ...(deployment.production ? PRODUCTION : {}),
    ...(deployment.production && deployment.sandbox === 'agents-only' ? { SANDBOX: 'true' } : {}),
    ...(deployment.signatureSecret ? { VONAGE_SIGNATURE_SECRET: deployment.signatureSecret } : {}),
    ...(deployment.production && !deployment.signatureSecret ? { VONAGE_ALLOW_UNSIGNED: 'true' } : {}),
    ...(deployment.pathToken ? { WEBHOOK_PATH_TOKEN: deployment.pathToken } : {}),
    ...(deployment.metricsToken ? { METRICS_TOKEN: deployment.metricsToken } : {}),
  };
  const closers: (() => Promise<void>)[] = [];
  let vonage: VonageEmulator | undefined;
  try {
    if (deployment.sandbox === 'none') {
      vonage = await startVonageEmulator({ apiKey: deployment.vonageApiKey });
      const brevo: BrevoEmulator = await startBrevoEmulator();
      closers.push(
        () => vonage!.close(),
        () => brevo.close(),
      );
      Object.assign(env, {
        VONAGE_API_KEY: vonage.apiKey,
        VONAGE_API_SECRET: vonage.apiSecret,
        VONAGE_NUMBER: '447700900000',
        VONAGE_REST_HOST: vonage.url,
        SENDINBLUE_API_KEY: brevo.apiKey,
        SENDINBLUE_API_URL: brevo.url,
        SENDINBLUE_TEMPLATE_ID: '7',
        SENDINBLUE_FROM_EMAIL: 'orders@example.com',
      });
    }
    let conversations: VonageConversationsEmulator | undefined;
    if (deployment.rtcToken) {
      conversations = await startVonageConversationsEmulator();
      closers.push(() => conversations!.close());
      Object.assign(env, {
        VONAGE_APPLICATION_ID: conversations.applicationId,
        VONAGE_PRIVATE_KEY: conversations.privateKey.replace(/\n/g, '\\n'),
        VONAGE_API_HOST: conversations.url,
        VONAGE_RTC_WEBHOOK_TOKEN: deployment.rtcToken,
      });
    }
    const sut = await startTestApp({ env });
    closers.unshift(() => sut.close());
    return {
      deployment,
      sut,
      vonage,
      close: async () => {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close();
    throw error;
  }
}

/**
 * SMS webhook parameters as this deployment's Vonage account would send them: with our `api-key`,
 * and signed when signing is on.
 */
export function asVonageSends(
  deployment: Deployment,
  params: Record<string, string>,
): Record<string, string> {
  const withKey = { ...params, 'api-key': deployment.vonageApiKey ?? params['api-key'] ?? 'abcd1234' };
  if (!deployment.signatureSecret) return withKey;
  const stamped = { ...withKey, timestamp: String(Math.floor(Date.now() / 1000)), nonce: randomUUID() };
  return { ...stamped, sig: computeSignature(stamped, deployment.signatureSecret, 'md5hash') };
}

/** The path segment the SMS webhooks' `/{token}` routes answer to here, or one they refuse. */
export function webhookPathToken(deployment: Deployment): string {
  return deployment.pathToken ?? 'no-path-token-configured';
}
