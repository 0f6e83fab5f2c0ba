import { describe, expect, it } from 'vitest';

import { smsLink } from './sms-link';

describe(smsLink.name, () => {
  it('builds the link the landing page uses', () => {
    expect(smsLink('+447700900000', "Hi ACME, I'd like some help with: ")).toBe(
      "sms:+447700900000?body=Hi%20ACME%2C%20I'd%20like%20some%20help%20with%3A%20",
    );
  });

  it.each([
    ['spaces', 'a b  c', 'a%20b%20%20c'],
    ['commas', 'one,two', 'one%2Ctwo'],
    ['apostrophes', "it's", "it's"],
    ['colons', 'order: 42', 'order%3A%2042'],
    ['ampersands', 'A&B', 'A%26B'],
    ['question marks and hashes', 'why? #1', 'why%3F%20%231'],
    ['plus signs', '1+1', '1%2B1'],
    ['percent signs', '100%', '100%25'],
    ['newlines', 'line 1\nline 2', 'line%201%0Aline%202'],
    ['emoji', 'thanks 👋🏽', 'thanks%20%F0%9F%91%8B%F0%9F%8F%BD'],
    ['accented letters', 'café', 'caf%C3%A9'],
  ])('percent-encodes %s in the body', (_, body, encoded) => {
    expect(smsLink('+15551234567', body)).toBe(`sms:+15551234567?body=${encoded}`);
  });

  it('keeps an empty body as an empty parameter', () => {
    expect(smsLink('+15551234567', '')).toBe('sms:+15551234567?body=');
  });

  it('decodes back to the exact body', () => {
    const body = "Hi Globex, I'd like some help with: order #12 & refund? 🙂";
    const link = smsLink('+15551234567', body);
    expect(decodeURIComponent(link.slice(link.indexOf('?body=') + '?body='.length))).toBe(body);
  });

  it('adds the + to a number given without it', () => {
    expect(smsLink('447700900000', 'x')).toBe('sms:+447700900000?body=x');
  });

  it('drops spacing and punctuation people type into numbers', () => {
    expect(smsLink('+44 (7700) 900-000', 'x')).toBe('sms:+447700900000?body=x');
  });

  it.each(['', '+', '+0123456', 'not a number', '+1234567890123456', '+44 7700 9000 00 ext 1'])(
    'rejects %j, which is not E.164',
    (number) => {
      expect(() => smsLink(number, 'x')).toThrow(RangeError);
    },
  );
});
