import type { CustomerOrder } from '../../api/sandbox';
import { formatMoney } from '../../formatting/money';

export interface EmailStatusView {
  label: string;
  tone: 'wait' | 'ok' | 'bad';
}

/** The confirmation email's progress, as the shop's order page says it. */
export function emailStatusOf(order: Pick<CustomerOrder, 'email'> | null): EmailStatusView {
  switch (order?.email?.status) {
    case 'sent':
      return { label: 'Email sent ✓', tone: 'ok' };
    case 'failed':
      return { label: `Email failed: ${order.email.error ?? 'no reason given'}`, tone: 'bad' };
    default:
      return { label: 'Email queued: sending…', tone: 'wait' };
  }
}

/** "3 items · $14.97" */
export function orderSummaryOf(order: Pick<CustomerOrder, 'items' | 'total' | 'currency'>): string {
  const count = order.items.reduce((sum, item) => sum + item.quantity, 0);
  return `${count} item${count === 1 ? '' : 's'} · ${formatMoney(order.total, order.currency)}`;
}
