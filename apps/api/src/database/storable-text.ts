// PostgreSQL's text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate (which
// JSON.stringify writes as `\udXXX`). Neither comes from a real phone or browser, both are easy to forge:
// what someone sent is kept, with U+FFFD in place of what cannot be stored, instead of failing.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whether PostgreSQL can store the text as it is. */
export function isStorableText(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(text);
}

/** The text with U+FFFD for every character PostgreSQL cannot store. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** The same for every key and value of a flat record of strings (webhook parameters). */
export function storableRecord(record: Record<string, string>): Record<string, string> {
  let copy: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(record)) {
    const [safeKey, safeValue] = [storableText(key), storableText(value)];
    if (safeKey === key && safeValue === value) continue;
    copy ??= { ...record };
    delete copy[key];
    copy[safeKey] = safeValue;
  }
  return copy ?? record;
}

/** The same for every key and string of a JSON value (a custom event's body), however deep. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [storableText(key), storableJson(inner)]),
  );
}
