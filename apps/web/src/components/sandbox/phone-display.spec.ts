import { describe, expect, it } from 'vitest';

import { hasArrived, phoneDelivery, replaySummary } from './phone-display';

describe(phoneDelivery.name, () => {
  it.each([
    ['queued', 'queued', 'Queued'],
    ['submitted', 'sent', 'Submitted'],
    ['sent', 'sent', 'Sent'],
    ['delivered', 'delivered', 'Delivered'],
    ['failed', 'failed', 'Not delivered'],
    ['suppressed', 'not-sent', 'Not sent'],
  ] as const)('%s shows %s ticks, "%s"', (status, ticks, label) => {
    expect(phoneDelivery({ status, error: null })).toMatchObject({ ticks, label });
  });

  it('gives the reason of a failed or held-back SMS only', () => {
    expect(phoneDelivery({ status: 'failed', error: 'Absent subscriber' }).reason).toBe('Absent subscriber');
    expect(phoneDelivery({ status: 'suppressed', error: 'Too many automatic SMS' }).reason).toBe(
      'Too many automatic SMS',
    );
    expect(phoneDelivery({ status: 'delivered', error: 'stale' }).reason).toBeNull();
  });
});

describe(hasArrived.name, () => {
  it('shows the phone’s own texts and sent or delivered replies as arrived', () => {
    expect(hasArrived({ direction: 'in', status: 'received' })).toBe(true);
    expect(hasArrived({ direction: 'out', status: 'delivered' })).toBe(true);
    expect(hasArrived({ direction: 'out', status: 'queued' })).toBe(false);
    expect(hasArrived({ direction: 'out', status: 'failed' })).toBe(false);
  });
});

describe(replaySummary.name, () => {
  it('says an unchanged conversation after 204s is the point', () => {
    expect(replaySummary([{ status: 204, message: null }], 2, 2)).toEqual({
      answer: 'The webhook answered 204 No Content, as for the first delivery.',
      outcome: 'Nothing changed: the conversation still has 2 messages, and no reply went out twice.',
      unchanged: true,
    });
  });

  it('counts the calls of a multipart text', () => {
    expect(replaySummary(Array(3).fill({ status: 204, message: null }), 1, 1).answer).toContain(
      'All 3 calls',
    );
  });

  it('explains a 401 for a signed webhook whose nonce was used', () => {
    const summary = replaySummary([{ status: 401, message: 'Webhook signature rejected: nonce used' }], 4, 4);
    expect(summary.answer).toContain('Refused with 401: Webhook signature rejected: nonce used');
    expect(summary.answer).toContain('one-time nonce');
    expect(summary.unchanged).toBe(true);
  });

  it('says so honestly when the conversation changed or could not be compared', () => {
    expect(replaySummary([{ status: 204, message: null }], 2, 3)).toMatchObject({
      outcome: 'The conversation changed: 2 messages before, 3 messages after.',
      unchanged: false,
    });
    expect(replaySummary([{ status: 0, message: null }], null, null).outcome).toBe(
      'Could not reload the conversation to compare.',
    );
  });
});
