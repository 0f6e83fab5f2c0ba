import { describe, expect, it } from 'vitest';

import { smsSegments } from '../../console/sms-segments';
import { splitLikeHandset } from './multipart-sms';

describe(splitLikeHandset.name, () => {
  it('sends a text that fits one SMS as it is', () => {
    expect(splitLikeHandset('Where is my order?')).toEqual({
      encoding: 'gsm7',
      parts: ['Where is my order?'],
    });
    expect(splitLikeHandset('a'.repeat(160)).parts).toEqual(['a'.repeat(160)]);
    expect(splitLikeHandset('é'.repeat(160)).parts).toHaveLength(1);
  });

  it.each([
    [161, [153, 8]],
    [306, [153, 153]],
    [307, [153, 153, 1]],
  ])('splits %i GSM-7 characters into parts of 153: %j', (length, sizes) => {
    const text = Array.from({ length }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const { encoding, parts } = splitLikeHandset(text);
    expect(encoding).toBe('gsm7');
    expect(parts.map((part) => part.length)).toEqual(sizes);
    expect(parts.join('')).toBe(text);
  });

  it('sends 70 UCS-2 units as one SMS and 71 as parts of 67', () => {
    expect(splitLikeHandset('ą'.repeat(70)).parts).toHaveLength(1);
    const { encoding, parts } = splitLikeHandset('ą'.repeat(71));
    expect(encoding).toBe('ucs2');
    expect(parts.map((part) => part.length)).toEqual([67, 4]);
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7', () => {
    const text = `${'a'.repeat(100)}✓`;
    const { encoding, parts } = splitLikeHandset(text);
    expect(encoding).toBe('ucs2');
    expect(parts.map((part) => part.length)).toEqual([67, 34]);
  });

  it('never splits an emoji’s surrogate pair', () => {
    // 66 units, then an emoji (2 units) that would straddle the 67-unit boundary.
    const text = `${'ą'.repeat(66)}😀${'ą'.repeat(10)}`;
    const { parts } = splitLikeHandset(text);
    expect(parts[0]).toBe('ą'.repeat(66));
    expect(parts[1]!.startsWith('😀')).toBe(true);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('never splits a GSM extension character (two septets) across parts', () => {
    // 152 septets, then € (two septets) that would straddle the 153-septet boundary.
    const text = `${'a'.repeat(152)}€${'b'.repeat(20)}`;
    const { encoding, parts } = splitLikeHandset(text);
    expect(encoding).toBe('gsm7');
    expect(parts[0]).toBe('a'.repeat(152));
    expect(parts[1]).toBe(`€${'b'.repeat(20)}`);
  });

  it('counts extension characters as two septets, so fewer fit in a part', () => {
    const { parts } = splitLikeHandset('{'.repeat(100));
    expect(parts.map((part) => part.length)).toEqual([76, 24]);
  });

  it.each([
    'a'.repeat(1000),
    `${'x'.repeat(150)}[]{}€${'y'.repeat(300)}`,
    '😀'.repeat(100),
    `Hi! ${'ą'.repeat(200)} 👍🏽 done`,
    "Hi, I ordered a blue widget last week and the tracking page has said 'out for delivery' for three days now.",
  ])('makes as many parts as the console counts, and keeps the text: %#', (text) => {
    const { parts, encoding } = splitLikeHandset(text);
    const counted = smsSegments(text);
    expect(parts).toHaveLength(counted.segments);
    expect(encoding).toBe(counted.encoding);
    expect(parts.join('')).toBe(text);
    if (parts.length > 1)
      for (const part of parts) expect(smsSegments(part).units).toBeLessThanOrEqual(counted.perSegment);
  });
});
