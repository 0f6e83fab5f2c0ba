/**
 * An amount kept in minor units (cents) shown in its currency: `formatMoney(499, 'USD')` → "$4.99",
 * `formatMoney(1200, 'JPY')` → "¥1,200". The currency says how many decimals it has (Intl knows).
 */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    // Not a currency Intl knows: still show the amount, with the code beside it.
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** decimals);
}
