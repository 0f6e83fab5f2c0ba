import { splitLikeHandset } from './multipart-sms';

/** The parameters of one call of Vonage's inbound-SMS webhook: every value a string, as Vonage signs them. */
export type InboundSmsParams = Record<string, string>;

/** What the phone simulator texts: from a customer's number to the support number, both E.164. */
export interface HandsetText {
  from: string;
  to: string;
  text: string;
}

/** Where a webhook's random and time-dependent values come from; tests pass fixed ones. */
export interface WebhookSource {
  messageId(): string;
  /** The reference all parts of one concatenated SMS share, 1–255. */
  concatRef(): number;
  now(): Date;
}

/** The `api-key` the sandbox's webhooks name; in sandbox mode the API checks no key. */
export const SANDBOX_API_KEY = 'sandbox';

/**
 * The webhook calls Vonage would make for `sms`: one, or one per part of a long text, each part with its
 * own `messageId` and the `concat-*` parameters that let the API put the parts back together. Numbers go
 * without `+`; `type` is `unicode` when the text needs UCS-2; `keyword` is the first word upper-cased.
 */
export function inboundSmsParams(sms: HandsetText, source: WebhookSource = randomSource): InboundSmsParams[] {
  const { encoding, parts } = splitLikeHandset(sms.text);
  const shared = {
    msisdn: digitsOf(sms.from),
    to: digitsOf(sms.to),
    type: encoding === 'ucs2' ? 'unicode' : 'text',
    'api-key': SANDBOX_API_KEY,
    'message-timestamp': vonageTimestamp(source.now()),
  };
  const one = (text: string): InboundSmsParams => ({
    msisdn: shared.msisdn,
    to: shared.to,
    messageId: source.messageId(),
    text,
    type: shared.type,
    keyword: keywordOf(text),
    'api-key': shared['api-key'],
    'message-timestamp': shared['message-timestamp'],
  });
  if (parts.length === 1) return [one(parts[0]!)];
  const ref = String(source.concatRef());
  return parts.map((text, index) => ({
    ...one(text),
    concat: 'true',
    'concat-ref': ref,
    'concat-total': String(parts.length),
    'concat-part': String(index + 1),
  }));
}

/** `+447700900001` → `447700900001`, the way Vonage writes numbers. */
export function digitsOf(number: string): string {
  return number.replace(/\D/g, '');
}

/** The first word of the text, upper-cased; empty for a text without words. */
export function keywordOf(text: string): string {
  return (text.trim().split(/\s+/)[0] ?? '').toUpperCase();
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, Vonage's `message-timestamp`. */
export function vonageTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (value) => value.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

const randomSource: WebhookSource = {
  messageId: () => randomHex(8),
  concatRef: () => 1 + (crypto.getRandomValues(new Uint8Array(1))[0]! % 255),
  now: () => new Date(),
};
