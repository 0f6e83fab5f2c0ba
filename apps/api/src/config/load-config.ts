import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import type {
  AppConfig,
  SandboxConfig,
  TrustProxy,
  VoiceConfig,
  VonageApplicationConfig,
  VonageConversationsConfig,
} from './app-config';
import { countryOf, isCountryCode } from '../sms/destination-country';
import { ENVIRONMENT_ALIASES, EnvironmentVariables } from './environment-variables';

/** Thrown at boot with every problem found, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The sandbox support number: a UK drama number Ofcom reserves for fiction, so nobody is ever texted. */
export const SANDBOX_SUPPORT_NUMBER = '447700900000';

/** The tutorial's confirmation, with the space it was missing ("your supportrequest"). */
export const DEFAULT_CONFIRMATION_TEMPLATE =
  'Dear customer, your support request has been registered. Your ticket number is {ticket}. ' +
  'We intend to get back to any support requests within 24h.';

/** Every variable name we read: the validated ones and their aliases. */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  ...getMetadataStorage()
    .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
    .map((metadata) => metadata.propertyName),
  ...Object.keys(ENVIRONMENT_ALIASES),
]);

export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const raw = resolveAliases(env, problems);
  const vars = plainToInstance(EnvironmentVariables, raw);
  problems.push(...validateSync(vars, { stopAtFirstError: true }).flatMap(describe));
  problems.push(...crossChecks(vars));
  const application = vonageApplication(vars, cwd, problems);
  const conversations = vonageConversations(vars, application);
  const trustProxy = parseTrustProxy(vars.TRUST_PROXY, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const nodeEnv = vars.NODE_ENV ?? 'development';
  const port = vars.PORT ?? 3000;
  const vonage = vars.VONAGE_API_KEY
    ? {
        apiKey: vars.VONAGE_API_KEY,
        apiSecret: vars.VONAGE_API_SECRET!,
        restHost: vars.VONAGE_REST_HOST,
        apiHost: vars.VONAGE_API_HOST,
      }
    : undefined;
  const companyName = vars.SUPPORT_COMPANY_NAME ?? 'ACME';
  const sendinblue = vars.SENDINBLUE_API_KEY
    ? {
        apiKey: vars.SENDINBLUE_API_KEY,
        apiUrl: vars.SENDINBLUE_API_URL,
        templateId: vars.SENDINBLUE_TEMPLATE_ID!,
        fromEmail: vars.SENDINBLUE_FROM_EMAIL!,
        fromName: vars.SENDINBLUE_FROM_NAME ?? `${companyName} Support`,
      }
    : undefined;
  const dataDir = vars.DATA_DIR ?? '.data';
  const supportNumber = `+${(vars.VONAGE_NUMBER ?? SANDBOX_SUPPORT_NUMBER).replace(/^\+/, '')}`;

  return {
    nodeEnv,
    port,
    host: vars.HOST ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    log: {
      level: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
      format:
        (vars.LOG_FORMAT as 'json' | 'pretty' | undefined) ?? (nodeEnv === 'development' ? 'pretty' : 'json'),
    },
    corsOrigins: vars.CORS_ORIGINS ? vars.CORS_ORIGINS.split(',') : [],
    metricsToken: vars.METRICS_TOKEN,
    metricsPort: vars.METRICS_PORT,
    trustProxy,
    pools: { database: vars.DATABASE_POOL_SIZE ?? 20, jobs: vars.JOBS_POOL_SIZE ?? 4 },
    searchLanguage: vars.SEARCH_LANGUAGE ?? 'simple',
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl: vars.DATABASE_URL,
    databaseReadUrl: vars.DATABASE_READ_URL,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    embeddedDbPort: vars.EMBEDDED_DB_PORT,
    companyName,
    supportNumber,
    vonage,
    signature: vars.VONAGE_SIGNATURE_SECRET
      ? { secret: vars.VONAGE_SIGNATURE_SECRET, method: vars.VONAGE_SIGNATURE_METHOD ?? 'md5hash' }
      : undefined,
    webhooks: {
      pathToken: vars.WEBHOOK_PATH_TOKEN,
      allowUnsigned: vars.VONAGE_ALLOW_UNSIGNED === 'true',
    },
    sms: {
      autoPerNumberPerHour: vars.SMS_AUTO_PER_NUMBER_PER_HOUR ?? 3,
      autoPerMinute: vars.SMS_AUTO_PER_MINUTE ?? 60,
      allowedCountries: vars.SMS_ALLOWED_COUNTRIES
        ? vars.SMS_ALLOWED_COUNTRIES.split(',')
        : [countryOf(supportNumber) ?? 'GB'],
      reopenDays: vars.SMS_REOPEN_DAYS ?? 7,
      concatTimeoutSeconds: vars.SMS_CONCAT_TIMEOUT_S ?? 120,
      sendRatePerSecond: vars.VONAGE_SMS_RATE ?? 30,
      confirmationTemplate: vars.SMS_CONFIRMATION_TEMPLATE ?? DEFAULT_CONFIRMATION_TEMPLATE,
      helpReply:
        vars.SMS_HELP_TEMPLATE ??
        `${companyName} Support: text your question to this number and an agent will reply here. ` +
          'Reply STOP to stop receiving messages.',
    },
    agentAlerts: {
      cooldownMinutes: vars.AGENT_ALERT_COOLDOWN_MIN ?? 30,
      routing: vars.AGENT_ALERT_ROUTING ?? 'all',
    },
    sendinblue,
    conversations,
    voice: voiceConfig(vars, application, !vonage),
    apiToken: vars.API_TOKEN,
    chatLinkTtlDays: vars.CHAT_LINK_TTL_DAYS ?? 30,
    jwtSecret: vars.JWT_SECRET,
    agent: { email: vars.AGENT_EMAIL, password: vars.AGENT_PASSWORD },
    sandbox: sandboxParts(nodeEnv, !vonage, !sendinblue),
  };
}

/** The stand-ins for the providers that are not configured; production gets here only with SANDBOX=true. */
function sandboxParts(nodeEnv: string, phone: boolean, mailbox: boolean): SandboxConfig | undefined {
  if (!phone && !mailbox) return undefined;
  return { phone, mailbox, agentsOnly: nodeEnv === 'production' };
}

const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Fastify's `trustProxy`: a hop count, or addresses and networks. `true` (trust every
 * hop) is refused: any client could then name its own address in X-Forwarded-For.
 */
function parseTrustProxy(value: string | undefined, problems: string[]): TrustProxy | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !PROXY_ADDRESS_NAMES.has(entry) && !isAddressOrNetwork(entry));
  if (wrong.length === 0) return entries;
  problems.push(
    'TRUST_PROXY must be the number of proxies in front of Switchboard (e.g. 1) or their addresses and networks ' +
      `separated by commas (e.g. 172.16.0.0/12, or loopback, linklocal, uniquelocal); not: ${wrong.join(', ')}`,
  );
  return undefined;
}

function isAddressOrNetwork(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Rules about several variables at once. */
function crossChecks(vars: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (
    vars.NODE_ENV === 'production' &&
    !vars.VONAGE_SIGNATURE_SECRET &&
    vars.VONAGE_ALLOW_UNSIGNED !== 'true'
  ) {
    problems.push(
      'VONAGE_SIGNATURE_SECRET is required in production, so nobody can post fake webhooks that make us send SMS ' +
        '(if your Vonage account cannot sign webhooks, set VONAGE_ALLOW_UNSIGNED=true, and WEBHOOK_PATH_TOKEN)',
    );
  }
  if (vars.NODE_ENV === 'production') problems.push(...productionChecks(vars));
  problems.push(...voiceChecks(vars));
  if (vars.DATABASE_READ_URL && !vars.DATABASE_URL)
    problems.push(
      'DATABASE_READ_URL is a replica of DATABASE_URL, which is not set (the embedded database has none)',
    );
  const countries = vars.SMS_ALLOWED_COUNTRIES ?? '';
  // A malformed list was already reported by its own rule.
  const unknown = /^[A-Z]{2}(,[A-Z]{2})*$/.test(countries)
    ? countries.split(',').filter((code) => !isCountryCode(code))
    : [];
  if (unknown.length > 0)
    problems.push(`SMS_ALLOWED_COUNTRIES has unknown country codes: ${unknown.join(', ')}`);
  return problems;
}

/** What production refuses to run without: real providers (or the sandbox on purpose), no open CORS. */
function productionChecks(vars: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const missing = [
    ...(vars.VONAGE_API_KEY ? [] : ['SMS (VONAGE_API_KEY, VONAGE_API_SECRET, VONAGE_NUMBER)']),
    ...(vars.SENDINBLUE_API_KEY
      ? []
      : ['email (SENDINBLUE_API_KEY, SENDINBLUE_TEMPLATE_ID, SENDINBLUE_FROM_EMAIL)']),
  ];
  if (missing.length > 0 && vars.SANDBOX !== 'true') {
    problems.push(
      `Production needs real providers, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not ` +
        'configured: set the missing variables, or set SANDBOX=true to run sandbox stand-ins that only signed-in ' +
        'agents can use',
    );
  }
  if (vars.PUBLIC_URL && isLoopback(vars.PUBLIC_URL)) {
    problems.push(
      `PUBLIC_URL is ${vars.PUBLIC_URL} in production: customers and Vonage cannot reach this machine's own address`,
    );
  }
  if (vars.CORS_ORIGINS?.split(',').includes('*')) {
    problems.push(
      'CORS_ORIGINS=* is refused in production: list the origins that may call the API from a browser ' +
        '(https://shop.example.com,https://admin.example.com)',
    );
  }
  return problems;
}

function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false; // reported by the URL rule
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/**
 * The Vonage application (its id and private key, inline or from a file, read now so a wrong path
 * stops the start), for Conversations chat and for voice. Problems never quote the key.
 */
function vonageApplication(
  vars: EnvironmentVariables,
  cwd: string,
  problems: string[],
): VonageApplicationConfig | undefined {
  const { VONAGE_APPLICATION_ID: applicationId, VONAGE_PRIVATE_KEY_PATH: path } = vars;
  const inline = vars.VONAGE_PRIVATE_KEY;
  if (path && inline) {
    problems.push('VONAGE_PRIVATE_KEY_PATH and VONAGE_PRIVATE_KEY are both set: keep one');
    return undefined;
  }
  if (!applicationId) {
    if (path || inline) {
      problems.push(
        `VONAGE_APPLICATION_ID is required with ${path ? 'VONAGE_PRIVATE_KEY_PATH' : 'VONAGE_PRIVATE_KEY'}`,
      );
    }
    return undefined;
  }
  if (!path && !inline) {
    problems.push(
      'VONAGE_PRIVATE_KEY_PATH (or VONAGE_PRIVATE_KEY) is required with VONAGE_APPLICATION_ID: the private key ' +
        'of that Vonage application',
    );
    return undefined;
  }
  let privateKey: string;
  if (path) {
    try {
      privateKey = readFileSync(isAbsolute(path) ? path : resolve(cwd, path), 'utf8');
    } catch (error) {
      problems.push(
        `VONAGE_PRIVATE_KEY_PATH cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
      return undefined;
    }
  } else {
    // Env files and orchestrators often carry a PEM on one line with literal "\n".
    privateKey = inline!.replace(/\\n/g, '\n');
  }
  try {
    createPrivateKey(privateKey);
  } catch {
    problems.push(
      `${path ? 'VONAGE_PRIVATE_KEY_PATH does not hold' : 'VONAGE_PRIVATE_KEY is not'} a PEM private key`,
    );
    return undefined;
  }
  return { applicationId, privateKey, apiHost: vars.VONAGE_API_HOST };
}

/** Vonage Conversations as the chat provider: the application and its RTC webhook's token. */
function vonageConversations(
  vars: EnvironmentVariables,
  application: VonageApplicationConfig | undefined,
): VonageConversationsConfig | undefined {
  // Without the token (required unless VONAGE_VOICE=true, by its own rule) the application is voice's only.
  if (!application || !vars.VONAGE_RTC_WEBHOOK_TOKEN) return undefined;
  return {
    ...application,
    rtcWebhookToken: vars.VONAGE_RTC_WEBHOOK_TOKEN,
    userPrefix: vars.VONAGE_USER_PREFIX ?? 'switchboard',
  };
}

/**
 * Click-to-call: through Vonage's Voice API with VONAGE_VOICE=true (checked in `voiceChecks`), the
 * sandbox's simulated calls while SMS go to the sandbox phone, else none.
 */
function voiceConfig(
  vars: EnvironmentVariables,
  application: VonageApplicationConfig | undefined,
  sandboxPhone: boolean,
): VoiceConfig | undefined {
  const callsPerHour = vars.VOICE_CALLS_PER_HOUR ?? 3;
  if (vars.VONAGE_VOICE === 'true' && application)
    return {
      provider: 'vonage',
      application,
      callsPerHour,
      userPrefix: vars.VONAGE_USER_PREFIX ?? 'switchboard',
    };
  if (vars.VONAGE_VOICE !== 'true' && sandboxPhone) return { provider: 'sandbox', callsPerHour };
  return undefined;
}

/** VONAGE_VOICE=true needs the application, a number to call from, and the secret voice webhooks are signed with. */
function voiceChecks(vars: EnvironmentVariables): string[] {
  if (vars.VONAGE_VOICE !== 'true') return [];
  const problems: string[] = [];
  if (!vars.VONAGE_APPLICATION_ID)
    problems.push(
      'VONAGE_VOICE=true needs VONAGE_APPLICATION_ID and its private key (VONAGE_PRIVATE_KEY_PATH or ' +
        'VONAGE_PRIVATE_KEY): a Vonage application with the voice capability',
    );
  if (!vars.VONAGE_API_KEY || !vars.VONAGE_NUMBER)
    problems.push('VONAGE_VOICE=true needs VONAGE_API_KEY and VONAGE_NUMBER: calls come from that number');
  if (!vars.VONAGE_SIGNATURE_SECRET)
    problems.push(
      'VONAGE_VOICE=true needs VONAGE_SIGNATURE_SECRET: Vonage signs voice webhooks with it, and unsigned ' +
        'ones are never accepted',
    );
  return problems;
}

/** Copies our variables out of the environment: blanks count as unset, aliases fill in their target. */
function resolveAliases(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!KNOWN_VARIABLES.has(name) || value === undefined || value.trim() === '') continue;
    const target = ENVIRONMENT_ALIASES[name] ?? name;
    const existing = raw[target];
    if (existing !== undefined && existing !== value.trim()) {
      const other = Object.entries(ENVIRONMENT_ALIASES).find(
        ([alias, t]) => t === target && alias !== name && env[alias]?.trim(),
      );
      problems.push(`${name} and ${other?.[0] ?? target} are both set, to different values: keep one`);
      continue;
    }
    raw[target] = value.trim();
  }
  return raw;
}

function describe(error: ValidationError): string[] {
  // stopAtFirstError leaves one message per variable: its most basic rule that failed.
  return Object.values(error.constraints ?? {});
}
