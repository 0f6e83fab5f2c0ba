import type { SandboxPhoneMessage, SmsStatus } from '@switchboard/contracts';

import type { DeliveryState } from '../../console/thread-display';

/** How an SMS from support shows its progress under the bubble: a tick, a word, and why it failed. */
export interface PhoneDelivery {
  status: SmsStatus;
  ticks: DeliveryState;
  label: string;
  /** For screen readers and the tooltip: the label with its meaning. */
  description: string;
  reason: string | null;
}

const DELIVERY: Record<SmsStatus, Omit<PhoneDelivery, 'status' | 'reason'>> = {
  received: { ticks: 'delivered', label: 'Received', description: 'Received by support' },
  queued: { ticks: 'queued', label: 'Queued', description: 'Queued: waiting to be sent' },
  submitted: { ticks: 'sent', label: 'Submitted', description: 'Submitted to the SMS provider' },
  sent: { ticks: 'sent', label: 'Sent', description: 'Sent: on its way to the phone' },
  delivered: { ticks: 'delivered', label: 'Delivered', description: 'Delivered to this phone' },
  failed: { ticks: 'failed', label: 'Not delivered', description: 'Not delivered' },
  suppressed: { ticks: 'not-sent', label: 'Not sent', description: 'Held back: never sent' },
};

export function phoneDelivery(message: Pick<SandboxPhoneMessage, 'status' | 'error'>): PhoneDelivery {
  const known = DELIVERY[message.status] ?? DELIVERY.queued;
  const reason = message.status === 'failed' || message.status === 'suppressed' ? message.error : null;
  return { status: message.status, ...known, reason };
}

/** True once the phone actually has the SMS; before that the simulator shows it dimmed, as in transit. */
export function hasArrived(message: Pick<SandboxPhoneMessage, 'direction' | 'status'>): boolean {
  return message.direction === 'in' || message.status === 'delivered' || message.status === 'sent';
}

/** What a replay of the last webhook showed, in words: how the server answered, and what changed. */
export function replaySummary(
  answers: { status: number; message: string | null }[],
  before: number | null,
  after: number | null,
): { answer: string; outcome: string; unchanged: boolean } {
  const calls = answers.length === 1 ? 'The webhook' : `All ${answers.length} calls`;
  const refused = answers.find((answer) => answer.status !== 204);
  let answer: string;
  if (!refused) answer = `${calls} answered 204 No Content, as for the first delivery.`;
  else if (refused.status === 401)
    answer = `Refused with 401: ${refused.message ?? 'unauthorized'}. A signed webhook carries a one-time nonce, so a copy is turned away.`;
  else if (refused.status === 0) answer = 'The server could not be reached.';
  else answer = `Answered ${refused.status}: ${refused.message ?? 'refused'}.`;

  if (before === null || after === null) {
    return { answer, outcome: 'Could not reload the conversation to compare.', unchanged: false };
  }
  const messages = (count: number) => `${count} message${count === 1 ? '' : 's'}`;
  if (before === after) {
    return {
      answer,
      outcome: `Nothing changed: the conversation still has ${messages(after)}, and no reply went out twice.`,
      unchanged: true,
    };
  }
  return {
    answer,
    outcome: `The conversation changed: ${messages(before)} before, ${messages(after)} after.`,
    unchanged: false,
  };
}
