/**
 * What an agent typed in the inbox's search box, read the ways a support desk is searched: a ticket or
 * order number (`#2088`, `2088`), a phone number in any formatting (`+44 7700 900123`, `07700-900123`,
 * `(0)7700 900123`), a customer's name, username or email by the start of each word, and words or
 * "a phrase" in messages and order items. Every reading is tried; the query ranks what each finds.
 */
export interface SearchTerms {
  /** The text as typed (trimmed): message text goes to `websearch_to_tsquery` (quotes make a phrase). */
  text: string;
  /** `#2088` or a bare number: a ticket's or an order's number. */
  number?: string;
  /** A phone number: `prefix` for the international form (`+447700%`), `suffix` for its last digits. */
  phone?: { prefix: string; suffix?: string };
  /** Each word's start, for names, usernames and emails: a tsquery like `dan:* & mul:*`. */
  namePrefix?: string;
  /** Text with an `@`: the start of a customer's email address, lower-cased. */
  email?: string;
}

/** At least this many digits make a phone search: fewer match too many numbers to mean one. */
const PHONE_MIN_DIGITS = 4;

export function searchTerms(typed: string): SearchTerms {
  const text = typed.trim();
  const terms: SearchTerms = { text };

  const number = /^#?(\d{1,18})$/.exec(text);
  if (number) terms.number = String(BigInt(number[1]!));

  const compact = text.replace(/[\s().\-/]/g, '');
  const phone = /^(\+|00)?(\d+)$/.exec(compact);
  if (phone && phone[2]!.length >= PHONE_MIN_DIGITS && phone[2]!.length <= 15) {
    const digits = phone[2]!;
    if (phone[1]) terms.phone = { prefix: `+${digits}` };
    else {
      // Typed without a country code: the international form's start (`447700…`), or a national
      // number whose trunk zero is not in the stored E.164 form (`07700 900123` ends `7700900123`).
      const national = digits.replace(/^0+/, '');
      terms.phone = {
        prefix: `+${digits}`,
        ...(national.length >= PHONE_MIN_DIGITS ? { suffix: national } : {}),
      };
    }
  }

  if (text.includes('@') && !/\s/.test(text)) terms.email = text.toLowerCase();

  // Letters and digits only, so nothing typed is read as tsquery syntax; the configuration folds
  // accents and case as it did for the stored names.
  const words = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 8);
  if (words.length > 0 && !terms.phone) terms.namePrefix = words.map((word) => `${word}:*`).join(' & ');
  return terms;
}
