/** Numbers the phone simulator offers. Ofcom keeps 07700 900000–900999 for drama, so none is anyone's. */
export interface PresetPhone {
  number: string;
  label: string;
}

export const PRESET_PHONES: readonly PresetPhone[] = [
  { number: '+447700900001', label: 'Customer 1' },
  { number: '+447700900002', label: 'Customer 2' },
  { number: '+447700900003', label: 'Customer 3' },
  { number: '+447700900004', label: 'Customer 4' },
  { number: '+447700900005', label: 'Customer 5' },
  { number: '+447700900666', label: 'Unreachable phone' },
];

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * What someone typed as a phone number, as E.164 (`+447700900001`), or null when it is not one. Spaces,
 * dots, dashes and brackets are ignored, and a leading `00` counts as `+`; the country code is required.
 */
export function toE164(input: string): string | null {
  const compact = input.trim().replace(/[\s().-]/g, '');
  const withPlus = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  return E164.test(withPlus) ? withPlus : null;
}

/** The sandbox provider fails every SMS to a number ending in 0666: a phone that is off or out of range. */
export function isUnreachable(number: string): boolean {
  return number.endsWith('0666');
}

export { formatPhoneNumber } from '../../formatting/phone';
