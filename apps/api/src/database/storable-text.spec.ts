import { isStorableText, storableJson, storableRecord, storableText } from './storable-text';

describe(storableText.name, () => {
  it('keeps ordinary text, emoji included, as it is', () => {
    expect(storableText('Where is order 42? 👍 Ünïcødé')).toBe('Where is order 42? 👍 Ünïcødé');
  });

  it('replaces NUL and lone surrogates with U+FFFD, keeping the rest', () => {
    expect(storableText('a\0b')).toBe('a\uFFFDb');
    expect(storableText('x\uD83Dy')).toBe('x\uFFFDy');
    expect(storableText('\uDC4Dz')).toBe('\uFFFDz');
  });
});

describe(isStorableText.name, () => {
  it('says yes to ordinary text and emoji, no to NUL and lone surrogates, however often it is asked', () => {
    const answers = ['Ünïcødé 👍', 'a\0b', 'x\uD83Dy', '\uDC4Dz', 'plain', 'a\0b'].map(isStorableText);

    expect(answers).toEqual([true, false, false, false, true, false]);
  });
});

describe(storableRecord.name, () => {
  it('returns the same record when nothing needs replacing', () => {
    const record = { msisdn: '447700900001', text: 'hello' };

    expect(storableRecord(record)).toBe(record);
  });

  it('cleans keys and values without touching the original', () => {
    const record = { 'a\0b': '1', text: 'hi\0' };

    expect(storableRecord(record)).toEqual({ 'a\uFFFDb': '1', text: 'hi\uFFFD' });
    expect(record).toEqual({ 'a\0b': '1', text: 'hi\0' });
  });
});

describe(storableJson.name, () => {
  it('cleans keys and strings at any depth, keeping numbers, booleans and nulls', () => {
    const body = { 'k\0': 'v\0', list: [1, 'a\0', { deep: '\uD83D' }], ok: true, none: null };

    expect(storableJson(body)).toEqual({
      'k\uFFFD': 'v\uFFFD',
      list: [1, 'a\uFFFD', { deep: '\uFFFD' }],
      ok: true,
      none: null,
    });
    expect(body['k\0']).toBe('v\0');
  });
});
