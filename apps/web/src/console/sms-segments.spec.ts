import { describe, expect, it } from 'vitest';

// smsSegments itself (libs/contracts) is tested with the API, which sends by it: src/sms/sms-segments.spec.ts.
import { canBecomeGsm7, describeCharacter, smsSegments, withGsmLookalikes } from './sms-segments';

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
