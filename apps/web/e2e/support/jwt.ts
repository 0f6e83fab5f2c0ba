import { createHmac } from 'node:crypto';

/**
 * A JWT signed HS256 with `secret`, the way the API signs its own (jsonwebtoken): for tokens a test
 * cannot get from the API, such as an agent's (no login yet) or a chat link that expired long ago.
 */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Seconds since the epoch, the unit of `iat` and `exp`. */
export function epochSeconds(date: Date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}
