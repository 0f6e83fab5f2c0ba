import { smsSegments, type SmsEncoding } from '../../console/sms-segments';

/** A text as a handset sends it: one SMS, or the parts of a concatenated SMS in order. */
export interface HandsetSms {
  encoding: SmsEncoding;
  parts: string[];
}

/**
 * Splits `text` the way a handset does before it goes on the air, with the GSM 03.38 rules the console's
 * counter uses: GSM-7 unless a character needs UCS-2; one SMS up to 160 septets / 70 UTF-16 units, else
 * parts of 153 / 67 (the concatenation header takes the rest). A part never ends inside a character: an
 * extension character's two septets or an emoji's surrogate pair move whole to the next part.
 */
export function splitLikeHandset(text: string): HandsetSms {
  const { encoding, segments, perSegment } = smsSegments(text);
  if (segments === 1) return { encoding, parts: [text] };
  const parts: string[] = [];
  let part = '';
  let used = 0;
  for (const character of text) {
    const cost = encoding === 'ucs2' ? character.length : smsSegments(character).units;
    if (used + cost > perSegment) {
      parts.push(part);
      part = '';
      used = 0;
    }
    part += character;
    used += cost;
  }
  parts.push(part);
  return { encoding, parts };
}
