import { describe, expect, it } from 'vitest';

import { dayKey, formatDate, formatDay } from './dates';

describe(formatDay.name, () => {
  const now = new Date(2026, 2, 10, 9, 30);

  it('says Today and Yesterday for the last two days', () => {
    expect(formatDay(new Date(2026, 2, 10, 0, 5).toISOString(), now)).toBe('Today');
    expect(formatDay(new Date(2026, 2, 9, 23, 59).toISOString(), now)).toBe('Yesterday');
  });

  it('gives the date for anything older', () => {
    expect(formatDay(new Date(2026, 2, 1, 12).toISOString(), now, 'en-US')).toBe('Mar 1, 2026');
  });
});

describe(formatDate.name, () => {
  it('writes a medium date in the locale', () => {
    expect(formatDate(new Date(2026, 0, 31, 12).toISOString(), 'en-GB')).toBe('31 Jan 2026');
  });
});

describe(dayKey.name, () => {
  it('puts two moments of one local day together and the next day apart', () => {
    const morning = new Date(2026, 2, 10, 0, 1).toISOString();
    const evening = new Date(2026, 2, 10, 23, 59).toISOString();
    const next = new Date(2026, 2, 11, 0, 1).toISOString();

    expect(dayKey(morning)).toBe(dayKey(evening));
    expect(dayKey(next)).not.toBe(dayKey(morning));
  });
});
