import { describe, expect, it } from 'vitest';

import { formatMoney } from './money';

describe(formatMoney.name, () => {
  it.each([
    [499, 'USD', 'en-US', '$4.99'],
    [123456, 'USD', 'en-US', '$1,234.56'],
    [0, 'USD', 'en-US', '$0.00'],
    [1200, 'JPY', 'en-US', '¥1,200'],
    [1234, 'KWD', 'en-US', 'KWD 1.234'],
    [499, 'EUR', 'de-DE', '4,99 €'],
  ])('shows %i minor units of %s in %s as %s', (minor, currency, locale, expected) => {
    expect(formatMoney(minor, currency, locale).replace(/\s/g, ' ')).toBe(expected);
  });

  it('falls back to the code for a currency Intl does not know', () => {
    expect(formatMoney(499, 'NOT-A-CODE', 'en-US')).toBe('4.99 NOT-A-CODE');
  });
});
