import { describe, expect, it } from 'vitest';

import { canBecomeGsm7, describeCharacter, smsSegments, withGsmLookalikes } from './sms-segments';

describe(smsSegments.name, () => {
  it('counts an empty text as one GSM-7 part with everything left', () => {
    expect(smsSegments('')).toEqual({
      encoding: 'gsm7',
      units: 0,
      segments: 1,
      perSegment: 160,
      remaining: 160,
      nonGsmCharacters: [],
    });
  });

  it.each([
    [160, 1, 160, 0],
    [161, 2, 153, 145],
    [306, 2, 153, 0],
    [307, 3, 153, 152],
  ])('GSM-7: %i characters → %i part(s) of %i, %i left', (length, segments, perSegment, remaining) => {
    expect(smsSegments('a'.repeat(length))).toMatchObject({
      encoding: 'gsm7',
      segments,
      perSegment,
      remaining,
    });
  });

  it.each([
    [70, 1, 70],
    [71, 2, 67],
    [134, 2, 67],
    [135, 3, 67],
  ])('UCS-2: %i characters → %i part(s) of %i', (length, segments, perSegment) => {
    expect(smsSegments('á'.repeat(length))).toMatchObject({ encoding: 'ucs2', segments, perSegment });
  });

  it('counts an extension character as two septets and never splits one across parts', () => {
    expect(smsSegments('€')).toMatchObject({ encoding: 'gsm7', units: 2 });
    expect(smsSegments(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('switches the whole text to UCS-2 for one emoji, which costs two units, and names it', () => {
    expect(smsSegments(`${'a'.repeat(69)}😀`)).toMatchObject({
      encoding: 'ucs2',
      units: 71,
      segments: 2,
      nonGsmCharacters: ['😀'],
    });
  });

  it('keeps accented letters of the GSM alphabet in GSM-7 (é, ü, Ç) but not others (ç, á)', () => {
    expect(smsSegments('Café über Ç').encoding).toBe('gsm7');
    expect(smsSegments('Français').nonGsmCharacters).toEqual(['ç']);
  });
});

describe(withGsmLookalikes.name, () => {
  it('swaps curly quotes, dashes and ellipses for plain ones, so the text is GSM-7 again', () => {
    const text = 'We’re on it — “soon”…';
    expect(canBecomeGsm7(smsSegments(text))).toBe(true);
    expect(withGsmLookalikes(text)).toBe('We\'re on it - "soon"...');
    expect(smsSegments(withGsmLookalikes(text)).encoding).toBe('gsm7');
  });

  it('cannot help with an emoji', () => {
    expect(canBecomeGsm7(smsSegments('Thanks ’ 😀'))).toBe(false);
  });
});

describe(describeCharacter.name, () => {
  it('quotes visible characters and names invisible ones', () => {
    expect(describeCharacter('😀')).toBe('“😀”');
    expect(describeCharacter('\t')).toBe('tab');
    expect(describeCharacter('\u00a0')).toBe('no-break space');
    expect(describeCharacter('\u200b')).toBe('U+200B');
  });
});
