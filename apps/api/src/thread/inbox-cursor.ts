/**
 * Where the next page of an inbox list starts: opaque to clients (base64url JSON), so its shape can
 * change. A list sorted by activity continues after the last ticket it showed (keyset: its activity
 * time to the microsecond and its id), so tickets that move while an agent scrolls are neither shown
 * twice nor skipped by the pages; those that move to the top arrive live. Search results, ranked in a
 * bounded set, continue at an offset (`recent`: in the set of the latest matches, see InboxSearch).
 */
export type InboxCursor = { after: { at: string; id: string } } | { offset: number; recent?: boolean };

export function encodeCursor(cursor: InboxCursor): string {
  const raw =
    'after' in cursor
      ? { a: cursor.after.at, i: cursor.after.id }
      : { o: cursor.offset, ...(cursor.recent ? { r: 1 } : {}) };
  return Buffer.from(JSON.stringify(raw)).toString('base64url');
}

/** The cursor, or undefined when the text is not one this API gave. */
export function decodeCursor(text: string): InboxCursor | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { a, i, o, r } = raw as { a?: unknown; i?: unknown; o?: unknown; r?: unknown };
  if (typeof a === 'string' && typeof i === 'string' && TIMESTAMP.test(a) && /^\d{1,18}$/.test(i)) {
    return { after: { at: a, id: i } };
  }
  if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && o <= 10_000)
    return r === 1 ? { offset: o, recent: true } : { offset: o };
  return undefined;
}

/** What the list query writes as a ticket's activity key: UTC, microseconds. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
