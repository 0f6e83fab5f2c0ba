import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;
/**
 * PostgreSQL's built-in text search configurations (snowball stemmers), and `simple`: words as typed,
 * which suits every language and mixed ones. The inbox's search stems words in this language.
 */
export const SEARCH_LANGUAGES = [
  'simple',
  'arabic',
  'armenian',
  'basque',
  'catalan',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hindi',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'serbian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
  'yiddish',
] as const;
export type SearchLanguageName = (typeof SEARCH_LANGUAGES)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);
const httpUrl = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/**
 * Every variable Switchboard reads, as it arrives from the environment (strings), with its rules.
 * Vendor secrets are required only when that vendor is chosen (`@ValidateIf`). Checks stop at a
 * variable's first failure and run bottom-up, so each variable's basic rule is written last.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(NODE_ENVS)
  NODE_ENV?: (typeof NODE_ENVS)[number];

  @IsOptional()
  @Transform(toInt)
  @Max(65535)
  @Min(1)
  @IsInt({ message: 'PORT must be a whole number' })
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Transform(toLower)
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(toLower)
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT?: string;

  @IsOptional()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  @IsString()
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(65535)
  @Min(1)
  @IsInt({ message: 'METRICS_PORT must be a whole number' })
  METRICS_PORT?: number;

  @IsOptional()
  @Transform(toLower)
  @IsIn(['true', 'false'], { message: 'SANDBOX must be true or false' })
  SANDBOX?: string;

  /** Checked entry by entry in `load-config.ts` (`trustProxy`). */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(500)
  @Min(2)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number of connections' })
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @Max(100)
  @Min(2)
  @IsInt({ message: 'JOBS_POOL_SIZE must be a whole number of connections' })
  JOBS_POOL_SIZE?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(SEARCH_LANGUAGES, {
    message: `SEARCH_LANGUAGE must be one of ${SEARCH_LANGUAGES.join(', ')}`,
  })
  SEARCH_LANGUAGE?: SearchLanguageName;

  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/, {
    message:
      'CORS_ORIGINS must be origins separated by commas (https://shop.example.com,https://admin.example.com)',
  })
  CORS_ORIGINS?: string;

  // Production sends this origin in emails and SMS: a silent http://localhost default would reach nobody.
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.PUBLIC_URL !== undefined)
  @IsUrl(httpUrl, {
    message:
      'PUBLIC_URL must be the http(s) origin customers and Vonage reach, such as https://support.example.com ' +
      '(required in production)',
  })
  PUBLIC_URL?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_READ_URL must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(65535)
  @Min(1024)
  @IsInt({ message: 'EMBEDDED_DB_PORT must be a whole number' })
  EMBEDDED_DB_PORT?: number;

  @IsOptional()
  @IsString()
  VONAGE_API_KEY?: string;

  @ValidateIf(
    (env: EnvironmentVariables) => env.VONAGE_API_KEY !== undefined || env.VONAGE_API_SECRET !== undefined,
  )
  @IsString({ message: 'VONAGE_API_SECRET is required when VONAGE_API_KEY is set' })
  VONAGE_API_SECRET?: string;

  @ValidateIf(
    (env: EnvironmentVariables) => env.VONAGE_API_KEY !== undefined || env.VONAGE_NUMBER !== undefined,
  )
  @Matches(/^\+?[1-9]\d{6,14}$/, {
    message:
      'VONAGE_NUMBER must be your Vonage virtual number in E.164, e.g. 447700900000 (required with VONAGE_API_KEY)',
  })
  VONAGE_NUMBER?: string;

  @IsOptional()
  @MinLength(8, { message: 'VONAGE_SIGNATURE_SECRET must be at least 8 characters' })
  @IsString()
  VONAGE_SIGNATURE_SECRET?: string;

  @IsOptional()
  @Transform(toLower)
  @IsIn(SIGNATURE_METHODS, {
    message: `VONAGE_SIGNATURE_METHOD must be one of ${SIGNATURE_METHODS.join(', ')}`,
  })
  VONAGE_SIGNATURE_METHOD?: (typeof SIGNATURE_METHODS)[number];

  @IsOptional()
  @IsUrl(httpUrl, { message: 'VONAGE_REST_HOST must be an http(s) URL' })
  VONAGE_REST_HOST?: string;

  @IsOptional()
  @IsUrl(httpUrl, { message: 'VONAGE_API_HOST must be an http(s) URL' })
  VONAGE_API_HOST?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(1000)
  @Min(1)
  @IsInt({ message: 'VONAGE_SMS_RATE must be a whole number of SMS per second' })
  VONAGE_SMS_RATE?: number;

  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'VONAGE_APPLICATION_ID must be the id of your Vonage application (a UUID)',
  })
  VONAGE_APPLICATION_ID?: string;

  @IsOptional()
  @IsString()
  VONAGE_PRIVATE_KEY_PATH?: string;

  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PRIVATE KEY-----/, {
    message: 'VONAGE_PRIVATE_KEY must be the PEM text of the application’s private key',
  })
  VONAGE_PRIVATE_KEY?: string;

  // An application used for voice only needs no RTC webhook (and chat stays the built-in one).
  @ValidateIf(
    (env: EnvironmentVariables) =>
      (env.VONAGE_APPLICATION_ID !== undefined && env.VONAGE_VOICE?.toLowerCase() !== 'true') ||
      env.VONAGE_RTC_WEBHOOK_TOKEN !== undefined,
  )
  @Matches(/^[A-Za-z0-9_-]{16,128}$/, {
    message:
      'VONAGE_RTC_WEBHOOK_TOKEN must be 16 to 128 letters, digits, - or _ (required with VONAGE_APPLICATION_ID ' +
      'unless the application is for VONAGE_VOICE only: Vonage does not sign RTC webhooks, so their URL carries it)',
  })
  VONAGE_RTC_WEBHOOK_TOKEN?: string;

  /** Click-to-call through Vonage's Voice API, with the application above. */
  @IsOptional()
  @Transform(toLower)
  @IsIn(['true', 'false'], { message: 'VONAGE_VOICE must be true or false' })
  VONAGE_VOICE?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(60, { message: 'VOICE_CALLS_PER_HOUR must be a whole number, 1 to 60' })
  @Min(1, { message: 'VOICE_CALLS_PER_HOUR must be a whole number, 1 to 60' })
  @IsInt({ message: 'VOICE_CALLS_PER_HOUR must be a whole number, 1 to 60' })
  VOICE_CALLS_PER_HOUR?: number;

  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, {
    message:
      'VONAGE_USER_PREFIX must be 1 to 40 letters, digits, _, . or - (starting with a letter or digit), ' +
      'e.g. switchboard-eu',
  })
  VONAGE_USER_PREFIX?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(365)
  @Min(0)
  @IsInt({ message: 'SMS_REOPEN_DAYS must be a whole number of days' })
  SMS_REOPEN_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @Max(86400)
  @Min(5)
  @IsInt({ message: 'SMS_CONCAT_TIMEOUT_S must be a whole number of seconds' })
  SMS_CONCAT_TIMEOUT_S?: number;

  @IsOptional()
  @MaxLength(640, { message: 'SMS_CONFIRMATION_TEMPLATE must be at most 640 characters' })
  @Matches(/\{ticket\}/, {
    message: 'SMS_CONFIRMATION_TEMPLATE must contain {ticket}, where the ticket number goes',
  })
  SMS_CONFIRMATION_TEMPLATE?: string;

  @IsOptional()
  @MaxLength(640, { message: 'SMS_HELP_TEMPLATE must be at most 640 characters' })
  @IsString()
  SMS_HELP_TEMPLATE?: string;

  @IsOptional()
  @Transform(toLower)
  @IsIn(['true', 'false'], { message: 'VONAGE_ALLOW_UNSIGNED must be true or false' })
  VONAGE_ALLOW_UNSIGNED?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{16,128}$/, {
    message:
      'WEBHOOK_PATH_TOKEN must be 16 to 128 letters, digits, - or _ (it becomes part of the webhook URL)',
  })
  WEBHOOK_PATH_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(1000)
  @Min(0)
  @IsInt({ message: 'SMS_AUTO_PER_NUMBER_PER_HOUR must be a whole number' })
  SMS_AUTO_PER_NUMBER_PER_HOUR?: number;

  @IsOptional()
  @Transform(toInt)
  @Max(100000)
  @Min(0)
  @IsInt({ message: 'SMS_AUTO_PER_MINUTE must be a whole number' })
  SMS_AUTO_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInt)
  @Max(1440)
  @Min(1)
  @IsInt({ message: 'AGENT_ALERT_COOLDOWN_MIN must be a whole number of minutes, 1 to 1440' })
  AGENT_ALERT_COOLDOWN_MIN?: number;

  @IsOptional()
  @IsIn(['all', 'round-robin'], { message: 'AGENT_ALERT_ROUTING must be all or round-robin' })
  AGENT_ALERT_ROUTING?: 'all' | 'round-robin';

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toUpperCase().replace(/\s+/g, '') : value,
  )
  @Matches(/^[A-Z]{2}(,[A-Z]{2})*$/, {
    message: 'SMS_ALLOWED_COUNTRIES must be ISO country codes separated by commas, e.g. GB,US',
  })
  SMS_ALLOWED_COUNTRIES?: string;

  @IsOptional()
  @IsString()
  SENDINBLUE_API_KEY?: string;

  @IsOptional()
  @IsUrl(httpUrl, { message: 'SENDINBLUE_API_URL must be an http(s) URL' })
  SENDINBLUE_API_URL?: string;

  @ValidateIf(
    (env: EnvironmentVariables) =>
      env.SENDINBLUE_API_KEY !== undefined || env.SENDINBLUE_TEMPLATE_ID !== undefined,
  )
  @Transform(toInt)
  @Min(1)
  @IsInt({
    message:
      'SENDINBLUE_TEMPLATE_ID must be the numeric id of your Brevo template (required with SENDINBLUE_API_KEY)',
  })
  SENDINBLUE_TEMPLATE_ID?: number;

  @ValidateIf(
    (env: EnvironmentVariables) =>
      env.SENDINBLUE_API_KEY !== undefined || env.SENDINBLUE_FROM_EMAIL !== undefined,
  )
  @IsEmail(
    {},
    {
      message:
        'SENDINBLUE_FROM_EMAIL must be a sender address verified in Brevo (required with SENDINBLUE_API_KEY)',
    },
  )
  SENDINBLUE_FROM_EMAIL?: string;

  @IsOptional()
  @MaxLength(70, { message: 'SENDINBLUE_FROM_NAME must be at most 70 characters' })
  @IsString()
  SENDINBLUE_FROM_NAME?: string;

  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.API_TOKEN !== undefined)
  @MinLength(16, { message: 'API_TOKEN must be at least 16 characters' })
  @IsString({ message: 'API_TOKEN is required in production: the bearer token of the shop integration API' })
  API_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @Max(365)
  @Min(1)
  @IsInt({ message: 'CHAT_LINK_TTL_DAYS must be a whole number of days' })
  CHAT_LINK_TTL_DAYS?: number;

  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.JWT_SECRET !== undefined)
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  @IsString({ message: 'JWT_SECRET is required in production' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsEmail({}, { message: 'AGENT_EMAIL must be an email address' })
  AGENT_EMAIL?: string;

  @IsOptional()
  @MinLength(10, { message: 'AGENT_PASSWORD must be at least 10 characters' })
  @IsString()
  AGENT_PASSWORD?: string;

  @IsOptional()
  @MaxLength(60, { message: 'SUPPORT_COMPANY_NAME must be at most 60 characters' })
  @IsString()
  SUPPORT_COMPANY_NAME?: string;
}

/** Names the seed tutorials used; each is accepted in place of the name on the right. */
export const ENVIRONMENT_ALIASES: Record<string, keyof EnvironmentVariables> = {
  NEXMO_API_KEY: 'VONAGE_API_KEY',
  NEXMO_API_SECRET: 'VONAGE_API_SECRET',
  NEXMO_NUMBER: 'VONAGE_NUMBER',
  NEXMO_SIGNATURE_SECRET: 'VONAGE_SIGNATURE_SECRET',
  NEXMO_SIGNATURE_METHOD: 'VONAGE_SIGNATURE_METHOD',
  NEXMO_REST_HOST: 'VONAGE_REST_HOST',
  NEXMO_API_HOST: 'VONAGE_API_HOST',
  NEXMO_SMS_RATE: 'VONAGE_SMS_RATE',
  NEXMO_APPLICATION_ID: 'VONAGE_APPLICATION_ID',
  NEXMO_PRIVATE_KEY_PATH: 'VONAGE_PRIVATE_KEY_PATH',
  NEXMO_APPLICATION_PRIVATE_KEY_PATH: 'VONAGE_PRIVATE_KEY_PATH',
  NEXMO_PRIVATE_KEY: 'VONAGE_PRIVATE_KEY',
  NEXMO_RTC_WEBHOOK_TOKEN: 'VONAGE_RTC_WEBHOOK_TOKEN',
  NEXMO_USER_PREFIX: 'VONAGE_USER_PREFIX',
  BREVO_API_KEY: 'SENDINBLUE_API_KEY',
  BREVO_API_URL: 'SENDINBLUE_API_URL',
  BREVO_TEMPLATE_ID: 'SENDINBLUE_TEMPLATE_ID',
  BREVO_FROM_EMAIL: 'SENDINBLUE_FROM_EMAIL',
  BREVO_FROM_NAME: 'SENDINBLUE_FROM_NAME',
};
