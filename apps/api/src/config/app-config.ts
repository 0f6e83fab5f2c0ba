import type { SearchLanguageName, SIGNATURE_METHODS } from './environment-variables';

export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

export interface VonageConfig {
  apiKey: string;
  apiSecret: string;
  restHost?: string;
  apiHost?: string;
}

/** A Vonage application: its id and private key sign the JWTs of the Conversations and Voice APIs. */
export interface VonageApplicationConfig {
  applicationId: string;
  /** PEM text of the application's private key (read from VONAGE_PRIVATE_KEY_PATH at boot). */
  privateKey: string;
  /** Vonage's API host (default https://api.nexmo.com); an emulator's URL in tests. */
  apiHost?: string;
}

/** Vonage Conversations as the chat provider: for accounts that still have In-App Messaging. */
export interface VonageConversationsConfig extends VonageApplicationConfig {
  /** The secret path segment of `/webhooks/rtc/<token>`. */
  rtcWebhookToken: string;
  /**
   * Starts our Vonage user names (`<prefix>-customer-<id>`, `<prefix>-desk`), which are unique per
   * Vonage application: distinct for each deployment sharing one. Default `switchboard`.
   */
  userPrefix: string;
}

/** Click-to-call: real calls through Vonage's Voice API, or the sandbox's simulated ones. */
export type VoiceConfig = { callsPerHour: number } & (
  | {
      provider: 'vonage';
      application: VonageApplicationConfig;
      /** Starts the Vonage user names of browser callers (`<prefix>-caller-<customer id>`). */
      userPrefix: string;
    }
  | { provider: 'sandbox' }
);

export interface SmsConfig {
  /** Automated SMS (confirmations, HELP) to one number per hour, and to anyone per minute. */
  autoPerNumberPerHour: number;
  autoPerMinute: number;
  /** ISO countries any SMS may go to (default: the support number's). */
  allowedCountries: string[];
  /** A message to an SMS ticket resolved this many days ago or less reopens it. */
  reopenDays: number;
  /** An incomplete multipart SMS is processed as it is after this many seconds. */
  concatTimeoutSeconds: number;
  /** Outbound SMS per second across all instances (Vonage's default is 30 per API key). */
  sendRatePerSecond: number;
  /** The confirmation sent when a ticket opens; `{ticket}` is replaced by the ticket number. */
  confirmationTemplate: string;
  /** The answer to HELP. */
  helpReply: string;
}

/** The SMS an agent gets when a customer opens their chat (agent-alerts/). */
export interface AgentAlertsConfig {
  /**
   * At most one alert per conversation in this many minutes; none either when an agent wrote in it
   * within them.
   */
  cooldownMinutes: number;
  /** Without an on-duty assignee: every on-duty agent, or one in turn (the longest without an alert). */
  routing: 'all' | 'round-robin';
}

export interface SendinblueConfig {
  apiKey: string;
  apiUrl?: string;
  templateId: number;
  fromEmail: string;
  fromName: string;
}

/** The sandbox's parts: stand-ins for the providers that are not configured. */
export interface SandboxConfig {
  /** SMS go to the sandbox provider: the phone simulator and its webhook signer exist. */
  phone: boolean;
  /** Email goes to the sandbox provider: the mailbox (and the demo shop, whose orders it shows) exist. */
  mailbox: boolean;
  /**
   * Production with `SANDBOX=true`: every sandbox tool answers signed-in agents only, the integration
   * token is never served, and no demo agent gets a generated password.
   */
  agentsOnly: boolean;
}

/** What Fastify's `trustProxy` takes: a hop count, or the proxies' addresses and networks. */
export type TrustProxy = number | string[];

/**
 * The validated configuration, read once at boot (`loadConfig`). Injected by its class;
 * nothing else in the API reads `process.env`.
 */
export abstract class AppConfig {
  abstract readonly nodeEnv: 'development' | 'production' | 'test';
  abstract readonly port: number;
  abstract readonly host: string;
  abstract readonly log: { level: string; format: 'json' | 'pretty' };
  /** Other origins allowed to call the API from a browser; none by default (same origin only). */
  abstract readonly corsOrigins: string[];
  /**
   * Bearer token Prometheus must send to /metrics. Unset: /metrics is open outside production, and in
   * production served only on `metricsPort`.
   */
  abstract readonly metricsToken?: string;
  /** A second port serving only /metrics, for an internal network. */
  abstract readonly metricsPort?: number;
  /** Which proxies' X-Forwarded-For to believe; unset: none (the peer is the client). */
  abstract readonly trustProxy?: TrustProxy;
  /** The language the inbox's search stems words in (`simple`: as typed). */
  abstract readonly searchLanguage: SearchLanguageName;
  /** Connections per instance: the API's own pool, and pg-boss's. */
  abstract readonly pools: { database: number; jobs: number };
  /** Origin customers and agents reach us at, without a trailing slash. */
  abstract readonly publicUrl: string;
  /** Unset: start the embedded PostgreSQL in `dataDir`. */
  abstract readonly databaseUrl?: string;
  /**
   * A streaming replica of that database for the inbox's reads; an agent's reads go to the primary
   * while the replica has not replayed what they have seen (database/read-replica.ts).
   */
  abstract readonly databaseReadUrl?: string;
  /** Absolute path. */
  abstract readonly dataDir: string;
  abstract readonly embeddedDbPort?: number;
  abstract readonly companyName: string;
  /** The number customers text, in E.164 with `+`. */
  abstract readonly supportNumber: string;
  /** Present only when SMS go through Vonage; otherwise the sandbox provider is used. */
  abstract readonly vonage?: VonageConfig;
  abstract readonly signature?: { secret: string; method: SignatureMethod };
  abstract readonly sms: SmsConfig;
  abstract readonly agentAlerts: AgentAlertsConfig;
  abstract readonly webhooks: {
    /** A secret path segment the webhook URLs must carry, for accounts that cannot sign webhooks. */
    pathToken?: string;
    /** Production without signed webhooks, on purpose (warned about at every start). */
    allowUnsigned: boolean;
  };
  /** Present only when email goes through Sendinblue/Brevo; otherwise the sandbox mailbox is used. */
  abstract readonly sendinblue?: SendinblueConfig;
  /** Present only when chat goes through Vonage Conversations; otherwise the built-in chat alone. */
  abstract readonly conversations?: VonageConversationsConfig;
  /** Present when the chat page may offer "Call us" (VONAGE_VOICE=true, or the sandbox phone). */
  abstract readonly voice?: VoiceConfig;
  /** Unset outside production: generated once, stored, and printed at start-up. */
  abstract readonly apiToken?: string;
  abstract readonly chatLinkTtlDays: number;
  abstract readonly jwtSecret?: string;
  abstract readonly agent: { email?: string; password?: string };
  /** Present when a provider is not configured (in production only with `SANDBOX=true`). */
  abstract readonly sandbox?: SandboxConfig;
}
