import { describe, expect, it } from 'vitest';

import { aCustomer } from './testing/console-builders';
import { customerContact, customerName, initials, shortTimeAgo } from './ticket-display';

describe(customerName.name, () => {
  it('uses the name, else the phone, username or email', () => {
    expect(customerName(aCustomer())).toBe('Ada Lovelace');
    expect(customerName(aCustomer({ name: null }))).toBe('+447700900123');
    expect(customerName(aCustomer({ name: ' ', phone: null, username: 'ada' }))).toBe('ada');
  });
});

describe(customerContact.name, () => {
  it('lists what is not already the name, the channel’s own first', () => {
    const customer = aCustomer({ email: 'ada@example.com' });
    expect(customerContact(customer, 'sms')).toBe('+447700900123 · ada@example.com');
    expect(customerContact(customer, 'chat')).toBe('ada@example.com · +447700900123');
    expect(customerContact(aCustomer({ name: null }), 'sms')).toBeNull();
  });
});

describe(initials.name, () => {
  it('takes the first and last word, or two letters, or # for a number', () => {
    expect(initials('Ada King Lovelace')).toBe('AL');
    expect(initials('grace')).toBe('GR');
    expect(initials('+447700900123')).toBe('44');
    expect(initials('')).toBe('#');
  });
});

describe(shortTimeAgo.name, () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it.each([
    ['2026-03-10T11:59:30Z', 'now'],
    ['2026-03-10T11:55:00Z', '5m'],
    ['2026-03-10T09:00:00Z', '3h'],
  ])('%s → %s', (iso, expected) => {
    expect(shortTimeAgo(iso, now, 'en-GB')).toBe(expected);
  });
});
