/**
 * Helpers for the reply box: how the API will encode and split an SMS (`smsSegments`, the API's own
 * rules from the contracts), and the look-alike characters that needlessly force Unicode.
 */
import type { SmsSegmentation } from '@switchboard/contracts';

export { smsSegments, type SmsEncoding, type SmsSegmentation } from '@switchboard/contracts';

/** Common look-alikes an agent may type (or paste) that have a GSM-7 equivalent. */
const GSM_LOOKALIKES: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '\u00a0': ' ',
  '\t': ' ',
};

/** The text with typographic look-alikes swapped for their GSM-7 equivalents; other characters kept. */
export function withGsmLookalikes(text: string): string {
  return Array.from(text, (character) => GSM_LOOKALIKES[character] ?? character).join('');
}

/** True when `withGsmLookalikes` would change the encoding back to GSM-7. */
export function canBecomeGsm7(segmentation: SmsSegmentation): boolean {
  return (
    segmentation.encoding === 'ucs2' &&
    segmentation.nonGsmCharacters.every((character) => GSM_LOOKALIKES[character] !== undefined)
  );
}

/** How a character that forced Unicode reads in a warning: visible, even when it is whitespace. */
export function describeCharacter(character: string): string {
  const code = character.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (character === '\t') return 'tab';
  if (character === '\u00a0') return 'no-break space';
  if (/\s|\p{C}/u.test(character)) return hex;
  return `“${character}”`;
}
