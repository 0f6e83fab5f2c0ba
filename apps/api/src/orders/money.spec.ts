import { currencyDecimals, formatMoney, toMinorUnits } from './money';

describe('money', () => {
  it('knows how many decimals a currency has', () => {
    expect([currencyDecimals('USD'), currencyDecimals('JPY'), currencyDecimals('KWD')]).toEqual([2, 0, 3]);
    expect(currencyDecimals('XYZ1')).toBeUndefined();
    expect(currencyDecimals('ABC')).toBeUndefined();
  });

  it('converts to minor units without floating-point drift', () => {
    expect(toMinorUnits(4.99, 2)).toBe(499);
    expect(toMinorUnits(0.1 + 0.2, 2)).toBe(30);
    expect(toMinorUnits(19.999, 3)).toBe(19999);
    expect(toMinorUnits(1000, 0)).toBe(1000);
  });

  it('refuses more decimals than the currency has', () => {
    expect(toMinorUnits(4.999, 2)).toBeUndefined();
    expect(toMinorUnits(10.5, 0)).toBeUndefined();
  });

  it('formats for people', () => {
    expect(formatMoney(499, 'USD')).toBe('$4.99');
    expect(formatMoney(1200, 'JPY')).toBe('¥1,200');
    expect(formatMoney(123456, 'EUR')).toBe('€1,234.56');
  });
});
