const e164 = /^\+[1-9]\d{1,14}$/;

/**
 * An `sms:` URI that opens the phone's messages app with `body` typed in.
 * `?body=` is what current iOS and Android both read; the body is percent-encoded so
 * `&`, `?`, `#` and emoji survive the trip through the URI.
 */
export function smsLink(number: string, body: string): string {
  const compact = number.replace(/[\s().-]/g, '');
  const withPlus = compact.startsWith('+') ? compact : `+${compact}`;
  if (!e164.test(withPlus)) throw new RangeError(`Not an E.164 phone number: ${number}`);
  return `sms:${withPlus}?body=${encodeURIComponent(body)}`;
}
