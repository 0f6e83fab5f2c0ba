/**
 * How an SMS text is encoded and how many parts it is sent (and billed) as: the API sends by these
 * rules and the web app counts by them while someone types.
 * Character tables: 3GPP TS 23.038 (GSM 03.38), as mapped to Unicode by unicode.org's GSM0338 table.
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegmentation {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (an extension-table character costs 2), UTF-16 code units for UCS-2 (an emoji costs 2). */
  units: number;
  /** How many SMS the text goes out as; an empty text still counts as one. */
  segments: number;
  /** Capacity of one part: 160/70 when the text fits a single SMS, 153/67 once it is split (the UDH takes the rest). */
  perSegment: number;
  /** Units left before the text needs one more part. */
  remaining: number;
  /** The characters that forced UCS-2, each once, in order of first appearance. */
  nonGsmCharacters: string[];
}

// The default alphabet in code order, 0x00–0x7F, without 0x1B (the escape to the extension table).
// 0x09 is the capital Ç in the Unicode mapping; ç is not in the alphabet.
const GSM7_DEFAULT_ALPHABET =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Sent as ESC + character, so each costs two septets. `\f` is the form feed (page break). */
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

/** True when every character is in the GSM 03.38 default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const character of text) {
    if (!isGsm7Character(character)) return false;
  }
  return true;
}

function unitCost(character: string, encoding: SmsEncoding): number {
  if (encoding === 'ucs2') return character.length;
  // A character outside the alphabet forced into GSM-7 is replaced by one septet (typically "?").
  return EXTENSION_TABLE.has(character) ? 2 : 1;
}

/**
 * Encoding, length and part count of `text`. The encoding is GSM-7 when every character allows it,
 * else UCS-2; pass `encoding` to count as a provider would when told which one to use.
 *
 * A part never ends in the middle of a character: an extension character's two septets, or an
 * emoji's surrogate pair, move whole to the next part. So the count can exceed
 * ceil(units / perSegment) when such a character straddles a boundary, as it does on the air.
 */
export function smsSegments(text: string, encoding?: SmsEncoding): SmsSegmentation {
  const characters = Array.from(text);
  const nonGsmCharacters = [...new Set(characters.filter((character) => !isGsm7Character(character)))];
  const chosen: SmsEncoding = encoding ?? (nonGsmCharacters.length > 0 ? 'ucs2' : 'gsm7');
  const costs = characters.map((character) => unitCost(character, chosen));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { single, multipart } = CAPACITY[chosen];
  if (units <= single) {
    return {
      encoding: chosen,
      units,
      segments: 1,
      perSegment: single,
      remaining: single - units,
      nonGsmCharacters,
    };
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
  return {
    encoding: chosen,
    units,
    segments,
    perSegment: multipart,
    remaining: multipart - used,
    nonGsmCharacters,
  };
}
