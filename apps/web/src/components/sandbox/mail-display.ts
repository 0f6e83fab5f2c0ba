import type { MailboxEmail } from '../../api/sandbox';

/** "Ada Lovelace <ada@example.com>", or the address alone. */
export function recipientOf(email: Pick<MailboxEmail, 'to' | 'toName'>): string {
  return email.toName ? `${email.toName} <${email.to}>` : email.to;
}

/** The start of the text version, on one line, for the list. */
export function snippetOf(email: Pick<MailboxEmail, 'text'>, length = 110): string {
  const flat = email.text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1).trimEnd()}…` : flat;
}
