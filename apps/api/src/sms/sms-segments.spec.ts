import { isGsm7, smsSegments } from '@switchboard/contracts';

const DEFAULT_ALPHABET =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION_TABLE = ['|', '^', '€', '{', '}', '[', ']', '~', '\\', '\f'];

describe(isGsm7.name, () => {
  it('accepts every character of the default alphabet (127, the escape excluded)', () => {
    expect(Array.from(DEFAULT_ALPHABET)).toHaveLength(127);
    for (const character of DEFAULT_ALPHABET)
      expect([character, isGsm7(character)]).toEqual([character, true]);
    expect(isGsm7(DEFAULT_ALPHABET)).toBe(true);
  });

  it('accepts nothing else in the Basic Multilingual Plane', () => {
    const accepted: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCharCode(code);
      if (isGsm7(character)) accepted.push(character);
    }
    expect(accepted.sort()).toEqual([...DEFAULT_ALPHABET, ...EXTENSION_TABLE].sort());
  });

  it.each(EXTENSION_TABLE)('accepts the extension character %j', (character) => {
    expect(isGsm7(character)).toBe(true);
  });

  it('accepts an empty text and ordinary English', () => {
    expect(isGsm7('')).toBe(true);
    expect(isGsm7('Hi Ann, your order #1234 ships today (2 items, £12.50).\r\nThanks!')).toBe(true);
  });

  it.each([
    ['é', 'é', true],
    ['è', 'è', true],
    ['É', 'É', true],
    ['à', 'à', true],
    ['ñ', 'ñ', true],
    ['ü', 'ü', true],
    ['Ç', 'Ç', true],
    ['Greek capital omega', '\u03a9', true],
    ['á', 'á', false],
    ['í', 'í', false],
    ['ó', 'ó', false],
    ['ç', 'ç', false],
    ['ê', 'ê', false],
    ['ohm sign', '\u2126', false],
    ['α', 'α', false],
    ['backtick', '`', false],
    ['tab', '\t', false],
    ['no-break space', '\u00a0', false],
    ['curly apostrophe', '’', false],
    ['curly quote', '“', false],
    ['ellipsis', '…', false],
    ['emoji', '😀', false],
    ['NUL', '\u0000', false],
    ['escape', '\u001b', false],
  ])('%s %j → %s', (_label, character, expected) => {
    expect(isGsm7(character)).toBe(expected);
  });

  it('rejects a text with a single non-GSM character anywhere', () => {
    expect(isGsm7(`${'a'.repeat(200)}á`)).toBe(false);
    expect(isGsm7(`á${'a'.repeat(200)}`)).toBe(false);
  });
});

describe(smsSegments.name, () => {
  it('counts an empty text as one GSM-7 part of nothing', () => {
    expect(smsSegments('')).toEqual({
      encoding: 'gsm7',
      units: 0,
      segments: 1,
      perSegment: 160,
      remaining: 160,
      nonGsmCharacters: [],
    });
  });

  describe('GSM-7', () => {
    it.each([
      [1, 1, 160],
      [159, 1, 160],
      [160, 1, 160],
      [161, 2, 153],
      [305, 2, 153],
      [306, 2, 153],
      [307, 3, 153],
      [459, 3, 153],
      [460, 4, 153],
      [3200, 21, 153],
    ])('%i plain characters → %i part(s) of %i', (length, segments, perSegment) => {
      expect(smsSegments('a'.repeat(length))).toEqual({
        encoding: 'gsm7',
        units: length,
        segments,
        perSegment,
        remaining: segments * perSegment - length,
        nonGsmCharacters: [],
      });
    });

    it.each(EXTENSION_TABLE)('counts the extension character %j as two septets', (character) => {
      expect(smsSegments(character)).toMatchObject({ encoding: 'gsm7', units: 2, segments: 1 });
      expect(smsSegments(`a${character}b`).units).toBe(4);
    });

    it('counts line breaks and accented GSM letters as one septet each', () => {
      expect(smsSegments('Café\r\nà bientot')).toMatchObject({ encoding: 'gsm7', units: 15 });
    });

    it('goes multipart at 161 septets when an extension character pushes it over', () => {
      expect(smsSegments(`${'a'.repeat(158)}€`)).toMatchObject({ units: 160, segments: 1, perSegment: 160 });
      expect(smsSegments(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2, perSegment: 153 });
    });

    it('never splits an extension character across two parts', () => {
      // 152 + 2 + 152 = 306 septets would fit 2 × 153, but the € cannot straddle the boundary.
      expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
      expect(smsSegments(`${'a'.repeat(151)}€${'a'.repeat(153)}`)).toMatchObject({ units: 306, segments: 2 });
    });

    it('counts a text of only extension characters', () => {
      expect(smsSegments('{}'.repeat(40))).toMatchObject({ units: 160, segments: 1 });
      expect(smsSegments('{'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    });
  });

  describe('UCS-2', () => {
    it.each([
      [1, 1, 70],
      [70, 1, 70],
      [71, 2, 67],
      [134, 2, 67],
      [135, 3, 67],
      [201, 3, 67],
      [202, 4, 67],
    ])('%i non-GSM characters → %i part(s) of %i', (length, segments, perSegment) => {
      expect(smsSegments('á'.repeat(length))).toEqual({
        encoding: 'ucs2',
        units: length,
        segments,
        perSegment,
        remaining: segments * perSegment - length,
        nonGsmCharacters: ['á'],
      });
    });

    it('switches the whole text to UCS-2 for one non-GSM character', () => {
      expect(smsSegments(`${'a'.repeat(100)}á`)).toMatchObject({
        encoding: 'ucs2',
        units: 101,
        segments: 2,
        perSegment: 67,
      });
    });

    it('counts an emoji as two UTF-16 code units', () => {
      expect(smsSegments('😀')).toEqual({
        encoding: 'ucs2',
        units: 2,
        segments: 1,
        perSegment: 70,
        remaining: 68,
        nonGsmCharacters: ['😀'],
      });
      expect(smsSegments(`${'a'.repeat(68)}😀`)).toMatchObject({ units: 70, segments: 1 });
      expect(smsSegments(`${'a'.repeat(69)}😀`)).toMatchObject({ units: 71, segments: 2 });
    });

    it('counts the extension characters as one code unit once the text is UCS-2', () => {
      expect(smsSegments('€á')).toMatchObject({ encoding: 'ucs2', units: 2, nonGsmCharacters: ['á'] });
    });

    it('never splits an emoji across two parts', () => {
      // 66 + 2 + 66 = 134 code units would fit 2 × 67, but the surrogate pair cannot straddle the boundary.
      expect(smsSegments(`${'á'.repeat(66)}😀${'á'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
      expect(smsSegments(`${'á'.repeat(65)}😀${'á'.repeat(67)}`)).toMatchObject({ units: 134, segments: 2 });
    });

    it('lists each non-GSM character once, in order of first appearance, emoji whole', () => {
      expect(smsSegments('ça va? ça 😀 á, 😀 `ok`').nonGsmCharacters).toEqual(['ç', '😀', 'á', '`']);
    });
  });

  describe('with the encoding given', () => {
    it('counts GSM text sent as unicode in UCS-2 parts', () => {
      expect(smsSegments('a'.repeat(71), 'ucs2')).toEqual({
        encoding: 'ucs2',
        units: 71,
        segments: 2,
        perSegment: 67,
        remaining: 63,
        nonGsmCharacters: [],
      });
    });

    it('counts a non-GSM character forced into GSM-7 as one septet (the provider substitutes it)', () => {
      expect(smsSegments('ça😀', 'gsm7')).toEqual({
        encoding: 'gsm7',
        units: 3,
        segments: 1,
        perSegment: 160,
        remaining: 157,
        nonGsmCharacters: ['ç', '😀'],
      });
    });
  });
});
