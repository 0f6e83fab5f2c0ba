import { describe, expect, it } from 'vitest';

import { formatPhoneNumber, isUnreachable, PRESET_PHONES, toE164 } from './phone-numbers';

describe(toE164.name, () => {
  it.each([
    ['+447700900001', '+447700900001'],
    ['+44 7700 900001', '+447700900001'],
    ['+1 (555) 123-4567', '+15551234567'],
    ['0044 7700 900001', '+447700900001'],
    [' +33.6.12.34.56.78 ', '+33612345678'],
  ])('%j → %j', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each([
    '',
    '07700 900001',
    '447700900001',
    '+0447700900001',
    '+44 7700 9000o1',
    '+12345',
    '+1234567890123456',
  ])('refuses %j', (input) => {
    expect(toE164(input)).toBeNull();
  });
});

describe('the preset phones', () => {
  it('are valid numbers, with exactly one unreachable one', () => {
    for (const preset of PRESET_PHONES) expect(toE164(preset.number)).toBe(preset.number);
    expect(PRESET_PHONES.filter((preset) => isUnreachable(preset.number))).toHaveLength(1);
  });
});

describe(formatPhoneNumber.name, () => {
  it('groups UK mobiles and leaves other numbers alone', () => {
    expect(formatPhoneNumber('+447700900001')).toBe('+44 7700 900001');
    expect(formatPhoneNumber('+15551234567')).toBe('+15551234567');
  });
});
