import { randomUUID } from 'node:crypto';

export type Encoding = 'get' | 'json' | 'form';

let sequence = 0;

/** An inbound-SMS webhook as Vonage sends it: every value a string, numbers without `+`. */
export function inboundSms(overrides: Record<string, string> = {}): Record<string, string> {
  sequence += 1;
  const text = overrides.text ?? `Hello, I need help with order ${sequence}`;
  return {
    msisdn: '447700900001',
    to: '447700900000',
    messageId: `${randomUUID().slice(0, 8).toUpperCase()}${sequence}`,
    text,
    type: 'text',
    keyword: text.split(/\s+/)[0]!.toUpperCase(),
    'api-key': 'abcd1234',
    'message-timestamp': new Date().toISOString().slice(0, 19).replace('T', ' '),
    ...overrides,
  };
}

/** Delivers a webhook the way Vonage would in the given format. */
export function deliver(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  encoding: Encoding = 'json',
): Promise<Response> {
  if (encoding === 'get') return fetch(`${baseUrl}${path}?${new URLSearchParams(params)}`);
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    },
    body: encoding === 'json' ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
}

/** Random customer numbers, so tests in one database never share a customer. */
export function aPhoneNumber(): string {
  return `4477009${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
}
