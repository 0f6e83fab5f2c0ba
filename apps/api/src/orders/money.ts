/** Money is kept as integer minor units (cents); the currency says how many decimals it has. */

// Intl formats any three letters as a currency, so known codes come from its own list.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Decimals of an ISO 4217 currency (USD 2, JPY 0, KWD 3); undefined for an unknown code. */
export function currencyDecimals(currency: string): number | undefined {
  if (!CURRENCIES.has(currency)) return undefined;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
}

/** 4.99 USD → 499; undefined when the amount has more decimals than the currency allows. */
export function toMinorUnits(amount: number, decimals: number): number | undefined {
  const minor = Math.round(amount * 10 ** decimals);
  return Math.abs(minor / 10 ** decimals - amount) < 1e-9 ? minor : undefined;
}

export function formatMoney(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency) ?? 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 10 ** decimals);
}
