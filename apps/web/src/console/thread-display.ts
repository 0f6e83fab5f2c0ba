import { callEventText, type CallEventPayload, type ThreadEntry } from '@switchboard/contracts';

import { formatPhoneNumber } from '../formatting/phone';

/** Where an outgoing message is on its way to the customer, as the console draws it. */
export type DeliveryState = 'sending' | 'queued' | 'sent' | 'delivered' | 'seen' | 'failed' | 'not-sent';

export interface Delivery {
  state: DeliveryState;
  label: string;
  /** The provider's or carrier's reason, for failed and not-sent messages. */
  reason: string | null;
}

/**
 * SMS statuses come from the send queue and delivery receipts (queued → submitted → sent → delivered
 * or failed; suppressed when never sent); a chat message is sent once stored, seen once the customer's
 * read marker passes it, failed when the chat provider (Vonage Conversations) never took it.
 */
export function deliveryOf(
  entry: ThreadEntry,
  channel: 'sms' | 'chat',
  customerReadSeq: number,
): Delivery | null {
  if (entry.kind !== 'text' || entry.direction !== 'out') return null;
  if (channel === 'chat') {
    // Only with Vonage Conversations: the reply is ours, but could not be posted where the customer reads.
    if (entry.status === 'failed') {
      return { state: 'failed', label: 'Not delivered', reason: entry.error ?? 'No reason given' };
    }
    return entry.seq <= customerReadSeq
      ? { state: 'seen', label: 'Seen', reason: null }
      : { state: 'sent', label: 'Sent', reason: null };
  }
  switch (entry.status) {
    case 'queued':
      return { state: 'queued', label: 'Queued', reason: null };
    case 'submitted':
      return { state: 'sent', label: 'Sent to the SMS provider', reason: null };
    case 'sent':
      return { state: 'sent', label: 'Sent to the network', reason: null };
    case 'delivered':
      return { state: 'delivered', label: 'Delivered', reason: null };
    case 'failed':
      return { state: 'failed', label: 'Not delivered', reason: entry.error ?? 'No reason given' };
    case 'suppressed':
      return { state: 'not-sent', label: 'Not sent', reason: entry.error ?? 'Blocked before sending' };
    default:
      return { state: 'sent', label: entry.status ?? 'Sent', reason: entry.error };
  }
}

/** "Automatic confirmation" for the SMS the system sends by itself. */
export function automatedLabel(entry: ThreadEntry): string | null {
  switch (entry.payload.automated) {
    case 'confirmation':
      return 'Automatic confirmation';
    case 'help':
      return 'Automatic help reply';
    default:
      return null;
  }
}

/** One line for an event in the thread (status changes, assignments); null for events shown otherwise. */
export function eventText(entry: ThreadEntry): string | null {
  const payload = entry.payload;
  const by = typeof payload.byName === 'string' ? payload.byName : null;
  if (payload.type === 'status_changed') {
    const to = payload.to;
    if (payload.reason === 'customer_message') return 'Reopened: the customer wrote again';
    const action =
      to === 'resolved'
        ? 'resolved the ticket'
        : to === 'pending'
          ? 'set the ticket to pending'
          : 'reopened the ticket';
    return by ? `${by} ${action}` : capitalise(action);
  }
  if (payload.type === 'assigned') {
    const name = typeof payload.assigneeName === 'string' ? payload.assigneeName : null;
    if (!name) return by ? `${by} unassigned the ticket` : 'Unassigned';
    if (by && by === name) return `${by} took the ticket`;
    return by ? `${by} assigned the ticket to ${name}` : `Assigned to ${name}`;
  }
  if (payload.type === 'call' && typeof payload.status === 'string') {
    return callEventText(payload as unknown as CallEventPayload, formatPhoneNumber);
  }
  if (payload.type === 'agent_alert') {
    const reason = typeof payload.reason === 'string' ? payload.reason : 'no reason given';
    return payload.outcome === 'failed' ? `SMS alert failed: ${reason}` : `No SMS alert sent: ${reason}`;
  }
  return null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
