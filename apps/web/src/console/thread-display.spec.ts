import { describe, expect, it } from 'vitest';

import { anEntry } from './testing/console-builders';
import { automatedLabel, deliveryOf, eventText } from './thread-display';

describe(deliveryOf.name, () => {
  it.each([
    ['queued', 'queued', 'Queued'],
    ['submitted', 'sent', 'Sent to the SMS provider'],
    ['sent', 'sent', 'Sent to the network'],
    ['delivered', 'delivered', 'Delivered'],
  ])('SMS %s → %s (%s)', (status, state, label) => {
    expect(deliveryOf(anEntry({ direction: 'out', status }), 'sms', 0)).toEqual({
      state,
      label,
      reason: null,
    });
  });

  it('gives the reason of a failed or suppressed SMS', () => {
    expect(
      deliveryOf(
        anEntry({ direction: 'out', status: 'failed', error: 'Delivery failed: absent subscriber' }),
        'sms',
        0,
      ),
    ).toEqual({ state: 'failed', label: 'Not delivered', reason: 'Delivery failed: absent subscriber' });
    expect(
      deliveryOf(anEntry({ direction: 'out', status: 'suppressed', error: 'Not sent: opted out' }), 'sms', 0),
    ).toMatchObject({ state: 'not-sent', reason: 'Not sent: opted out' });
  });

  it('shows a chat reply as seen once the customer read past it', () => {
    const entry = anEntry({ direction: 'out', status: 'sent', seq: 4 });
    expect(deliveryOf(entry, 'chat', 3)?.state).toBe('sent');
    expect(deliveryOf(entry, 'chat', 4)?.state).toBe('seen');
  });

  it('shows a chat reply Vonage Conversations never took as not delivered, with the reason', () => {
    const entry = anEntry({
      direction: 'out',
      status: 'failed',
      seq: 4,
      error: 'Not delivered through Vonage: HTTP 404 conversation:error:not-found',
    });
    expect(deliveryOf(entry, 'chat', 9)).toEqual({
      state: 'failed',
      label: 'Not delivered',
      reason: 'Not delivered through Vonage: HTTP 404 conversation:error:not-found',
    });
  });

  it('has nothing to say about incoming messages and events', () => {
    expect(deliveryOf(anEntry({ direction: 'in' }), 'sms', 0)).toBeNull();
    expect(deliveryOf(anEntry({ direction: 'out', kind: 'event' }), 'sms', 0)).toBeNull();
  });
});

describe(eventText.name, () => {
  it.each([
    [{ type: 'status_changed', from: 'open', to: 'resolved', byName: 'Grace' }, 'Grace resolved the ticket'],
    [{ type: 'status_changed', from: 'resolved', to: 'open', byName: 'Grace' }, 'Grace reopened the ticket'],
    [
      { type: 'status_changed', from: 'resolved', to: 'open', reason: 'customer_message' },
      'Reopened: the customer wrote again',
    ],
    [{ type: 'assigned', assigneeName: 'Linus', byName: 'Grace' }, 'Grace assigned the ticket to Linus'],
    [{ type: 'assigned', assigneeName: 'Grace', byName: 'Grace' }, 'Grace took the ticket'],
    [{ type: 'assigned', assigneeName: null, byName: 'Grace' }, 'Grace unassigned the ticket'],
    [
      { type: 'agent_alert', outcome: 'held', reason: 'No agent is on duty with a confirmed mobile' },
      'No SMS alert sent: No agent is on duty with a confirmed mobile',
    ],
    [
      { type: 'agent_alert', outcome: 'failed', reason: 'Not sent to Dana: Delivery failed' },
      'SMS alert failed: Not sent to Dana: Delivery failed',
    ],
    [
      { type: 'call', callId: '4', leg: 'customer', status: 'requested', phone: '+447700900123' },
      'Call back requested to +44 7700 900123',
    ],
    [{ type: 'call', callId: '4', leg: 'agent', status: 'answered', agentName: 'Dana' }, 'Connected to Dana'],
    [
      { type: 'call', callId: '4', leg: 'agent', status: 'timeout', agentName: 'Dana' },
      'Dana did not answer',
    ],
    [
      { type: 'call', callId: '4', leg: 'agent', status: 'cancelled', agentName: 'Dana' },
      'The call to Dana was stopped',
    ],
    [
      { type: 'call', callId: '4', leg: 'customer', status: 'completed', durationSeconds: 125 },
      'Call ended after 2:05',
    ],
    [
      { type: 'call', callId: '4', leg: 'customer', status: 'failed', detail: 'number_out_of_service' },
      'Call failed (number out of service)',
    ],
    [{ type: 'order-confirm' }, null],
  ])('%j → %s', (payload, text) => {
    expect(eventText(anEntry({ kind: 'event', payload }))).toBe(text);
  });
});

describe(automatedLabel.name, () => {
  it('names the automatic SMS', () => {
    expect(automatedLabel(anEntry({ payload: { automated: 'confirmation' } }))).toBe(
      'Automatic confirmation',
    );
    expect(automatedLabel(anEntry({ payload: { automated: 'help' } }))).toBe('Automatic help reply');
    expect(automatedLabel(anEntry())).toBeNull();
  });
});
