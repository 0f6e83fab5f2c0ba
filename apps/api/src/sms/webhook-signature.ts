import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureMethod } from '../config/app-config';

/** Vonage's documented tolerance is none; ±5 minutes is what its Java SDK enforces. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export type SignatureCheck =
  { valid: true; nonce: string; signature: string } | { valid: false; reason: string };

/**
 * The string Vonage signs for SMS webhooks: every parameter but `sig`, sorted by key, each value
 * with `&` and `=` replaced by `_`, joined as `&key=value` (note the leading `&`).
 */
export function signedString(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sig')
    .sort()
    .map((key) => `&${key}=${params[key]!.replace(/[&=]/g, '_')}`)
    .join('');
}

export function computeSignature(
  params: Record<string, string>,
  secret: string,
  method: SignatureMethod,
): string {
  const data = signedString(params);
  if (method === 'md5hash')
    return createHash('md5')
      .update(data + secret)
      .digest('hex');
  return createHmac(method, secret).update(data).digest('hex');
}

/** Checks `sig` and the freshness of `timestamp`; the nonce's single use is checked by the caller, in the database. */
export function checkSignature(
  params: Record<string, string>,
  secret: string,
  method: SignatureMethod,
  nowSeconds = Date.now() / 1000,
): SignatureCheck {
  const { sig, timestamp, nonce } = params;
  if (!sig) return { valid: false, reason: 'sig is missing: this webhook must be signed' };
  if (!timestamp || !/^\d+$/.test(timestamp))
    return { valid: false, reason: 'timestamp is missing or not a number' };
  if (!nonce) return { valid: false, reason: 'nonce is missing' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS) {
    return { valid: false, reason: 'timestamp is more than 5 minutes away from now' };
  }
  const expected = Buffer.from(computeSignature(params, secret, method), 'utf8');
  const given = Buffer.from(sig.toLowerCase(), 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { valid: false, reason: 'sig does not match' };
  }
  return { valid: true, nonce, signature: given.toString() };
}
