import { describe, expect, it } from 'vitest';

import { inboundSmsParams, keywordOf, vonageTimestamp, type WebhookSource } from './inbound-webhook';

/** Fixed ids and clock, so the params can be compared whole. */
function aSource(): WebhookSource {
  let id = 0;
  return {
    messageId: () => `0A00000000000${String(++id).padStart(3, '0')}`,
    concatRef: () => 42,
    now: () => new Date('2025-03-04T05:06:07.890Z'),
  };
}

describe(inboundSmsParams.name, () => {
  it('builds the parameters Vonage sends for a short text: numbers without +, strings only', () => {
    expect(
      inboundSmsParams({ from: '+447700900001', to: '+447700900000', text: 'where is my order?' }, aSource()),
    ).toEqual([
      {
        msisdn: '447700900001',
        to: '447700900000',
        messageId: '0A00000000000001',
        text: 'where is my order?',
        type: 'text',
        keyword: 'WHERE',
        'api-key': 'sandbox',
        'message-timestamp': '2025-03-04 05:06:07',
      },
    ]);
  });

  it('says unicode when a character is outside GSM-7', () => {
    const [params] = inboundSmsParams(
      { from: '+447700900001', to: '+447700900000', text: 'Merci 🙏' },
      aSource(),
    );
    expect(params!.type).toBe('unicode');
  });

  it('sends a long text as parts that share a concat-ref, each with its own messageId', () => {
    const text = `${'a'.repeat(153)}${'b'.repeat(153)}tail`;
    const parts = inboundSmsParams({ from: '+447700900001', to: '+447700900000', text }, aSource());

    expect(parts).toHaveLength(3);
    expect(parts.map((part) => part.text)).toEqual(['a'.repeat(153), 'b'.repeat(153), 'tail']);
    expect(parts.map((part) => part.messageId)).toEqual([
      '0A00000000000001',
      '0A00000000000002',
      '0A00000000000003',
    ]);
    expect(parts.map((part) => part['concat-part'])).toEqual(['1', '2', '3']);
    for (const part of parts) {
      expect(part).toMatchObject({
        msisdn: '447700900001',
        to: '447700900000',
        type: 'text',
        concat: 'true',
        'concat-ref': '42',
        'concat-total': '3',
        'api-key': 'sandbox',
        'message-timestamp': '2025-03-04 05:06:07',
      });
    }
  });

  it('marks every part of a long Unicode text as unicode', () => {
    const parts = inboundSmsParams(
      { from: '+447700900001', to: '+447700900000', text: 'ż'.repeat(100) },
      aSource(),
    );
    expect(parts.map((part) => [part.type, part.text.length])).toEqual([
      ['unicode', 67],
      ['unicode', 33],
    ]);
  });

  it('uses a random 16-character upper-case hex messageId and a concat-ref from 1 to 255 by default', () => {
    const parts = inboundSmsParams({ from: '+447700900001', to: '+447700900000', text: 'x'.repeat(400) });
    for (const part of parts) expect(part.messageId).toMatch(/^[0-9A-F]{16}$/);
    expect(new Set(parts.map((part) => part.messageId)).size).toBe(parts.length);
    const ref = Number(parts[0]!['concat-ref']);
    expect(ref).toBeGreaterThanOrEqual(1);
    expect(ref).toBeLessThanOrEqual(255);
  });
});

describe(keywordOf.name, () => {
  it.each([
    ['help', 'HELP'],
    ['  stop please', 'STOP'],
    ['Hello\nthere', 'HELLO'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (text, keyword) => {
    expect(keywordOf(text)).toBe(keyword);
  });
});

describe(vonageTimestamp.name, () => {
  it('writes UTC as YYYY-MM-DD HH:MM:SS', () => {
    expect(vonageTimestamp(new Date('2024-12-31T23:59:59.999Z'))).toBe('2024-12-31 23:59:59');
  });
});
