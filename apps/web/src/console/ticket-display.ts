import type { TicketChannel, TicketCustomer, TicketStatus } from '@switchboard/contracts';

/** How a customer is named in the console: their name, else whatever identifies them. */
export function customerName(customer: TicketCustomer): string {
  return (
    customer.name?.trim() ||
    customer.phone ||
    customer.username ||
    customer.email ||
    `Customer ${customer.id}`
  );
}

/** The second line under a customer's name: how to reach them, when it is not already their name. */
export function customerContact(customer: TicketCustomer, channel: TicketChannel): string | null {
  const parts = channel === 'sms' ? [customer.phone, customer.email] : [customer.email, customer.phone];
  const name = customerName(customer);
  return parts.filter((part): part is string => !!part && part !== name).join(' · ') || null;
}

/** Two letters for the avatar. */
export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return '#';
  const letters =
    words.length === 1
      ? Array.from(words[0]!).slice(0, 2)
      : [words[0]!, words.at(-1)!].map((w) => Array.from(w)[0]!);
  return letters.join('').toUpperCase();
}

export const statusLabels: Readonly<Record<TicketStatus, string>> = {
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
};

export const channelLabels: Readonly<Record<TicketChannel, string>> = {
  sms: 'SMS',
  chat: 'Chat',
};

/** "now", "5m", "3h", "Mon", "12 Mar": short enough for an inbox row. */
export function shortTimeAgo(iso: string, now: Date = new Date(), locale?: string): string {
  const then = new Date(iso);
  const seconds = Math.max(0, (now.getTime() - then.getTime()) / 1000);
  if (seconds < 60) return 'now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 6 * 86_400) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(then);
  const sameYear = then.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(
    locale,
    sameYear ? { day: 'numeric', month: 'short' } : { dateStyle: 'medium' },
  ).format(then);
}
