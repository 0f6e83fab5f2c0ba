/**
 * How the API will encode and split an SMS reply, counted while the agent types. The rules are the
 * API's own (`apps/api/src/sms/gsm7.ts`, GSM 03.38): GSM-7 when every character allows it, else UCS-2;
 * 160/153 septets or 70/67 UTF-16 units per part; an extension-table character costs two septets; a
 * part never splits a character.
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegmentation {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  /** How many SMS the text goes out as; an empty text still counts as one. */
  segments: number;
  /** Capacity of one part: 160/70 for a single SMS, 153/67 once it is split. */
  perSegment: number;
  /** Units left before the text needs one more part. */
  remaining: number;
  /** The characters that forced UCS-2, each once, in order of first appearance. */
  nonGsmCharacters: string[];
}

const GSM7_DEFAULT_ALPHABET =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION_TABLE = '\f^{}\\[~]|€';

const DEFAULT_ALPHABET = new Set(GSM7_DEFAULT_ALPHABET);
const EXTENSION_TABLE = new Set(GSM7_EXTENSION_TABLE);

const CAPACITY: Record<SmsEncoding, { single: number; multipart: number }> = {
  gsm7: { single: 160, multipart: 153 },
  ucs2: { single: 70, multipart: 67 },
};

function isGsm7Character(character: string): boolean {
  return DEFAULT_ALPHABET.has(character) || EXTENSION_TABLE.has(character);
}

function unitCost(character: string, encoding: SmsEncoding): number {
  if (encoding === 'ucs2') return character.length;
  return EXTENSION_TABLE.has(character) ? 2 : 1;
}

export function smsSegments(text: string): SmsSegmentation {
  const characters = Array.from(text);
  const nonGsmCharacters = [...new Set(characters.filter((character) => !isGsm7Character(character)))];
  const encoding: SmsEncoding = nonGsmCharacters.length > 0 ? 'ucs2' : 'gsm7';
  const costs = characters.map((character) => unitCost(character, encoding));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { single, multipart } = CAPACITY[encoding];
  if (units <= single) {
    return { encoding, units, segments: 1, perSegment: single, remaining: single - units, nonGsmCharacters };
  }
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multipart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments, perSegment: multipart, remaining: multipart - used, nonGsmCharacters };
}

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
