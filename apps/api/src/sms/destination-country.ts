import { getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import metadata from 'libphonenumber-js/min/metadata';

const KNOWN_COUNTRIES = new Set<string>(getCountries());
const MAIN_COUNTRY_OF_CODE = (metadata as { country_calling_codes: Record<string, string[]> })
  .country_calling_codes;
const cache = new Map<string, string | undefined>();

export function isCountryCode(code: string): boolean {
  return KNOWN_COUNTRIES.has(code);
}

/**
 * The ISO country of an E.164 number, by libphonenumber's metadata. Numbers outside the allocated
 * ranges (such as the UK's 07700 900xxx drama numbers) still get the calling code's main country.
 */
export function countryOf(e164: string): string | undefined {
  if (cache.has(e164)) return cache.get(e164);
  const parsed = parsePhoneNumberFromString(e164);
  const country =
    parsed?.country ?? (parsed ? MAIN_COUNTRY_OF_CODE[parsed.countryCallingCode]?.[0] : undefined);
  if (cache.size > 10_000) cache.clear(); // phone numbers repeat (customers text again); keep it bounded
  cache.set(e164, country);
  return country;
}

/** Why an SMS may not go to this number, or undefined when it may. */
export function destinationBlocked(e164: string, allowedCountries: readonly string[]): string | undefined {
  const country = countryOf(e164);
  if (country && allowedCountries.includes(country)) return undefined;
  return `Not sent: ${country ?? 'this'} numbers are outside SMS_ALLOWED_COUNTRIES (${allowedCountries.join(', ')})`;
}
