/** Our outbound SMS statuses, in the order they may advance; `failed` outranks everything. */
export const OUTBOUND_STATUS_RANK = { queued: 0, submitted: 1, sent: 2, delivered: 3, failed: 4 } as const;
export type OutboundStatus = keyof typeof OUTBOUND_STATUS_RANK;

/** Vonage's DLR `status` values (docs and spec disagree, so the union) mapped onto ours. */
const STATUS_OF_RECEIPT: Record<string, OutboundStatus | undefined> = {
  accepted: 'sent',
  buffered: 'sent',
  delivered: 'delivered',
  expired: 'failed',
  failed: 'failed',
  undelivered: 'failed',
  rejected: 'failed',
  unknown: undefined,
};

/** Vonage's DLR `err-code` meanings (provider-contracts §4). */
const ERROR_CODES: Record<string, string> = {
  '1': 'unknown error',
  '2': 'absent subscriber (temporary)',
  '3': 'absent subscriber (permanent)',
  '4': 'call barred by the recipient',
  '5': 'portability error',
  '6': 'anti-spam rejection',
  '7': 'handset busy',
  '8': 'network error',
  '9': 'illegal number (opted out)',
  '10': 'illegal message',
  '11': 'unroutable',
  '12': 'destination unreachable',
  '13': 'subscriber age restriction',
  '14': 'number blocked by the carrier',
  '15': 'prepaid account has insufficient funds',
  '99': 'general error',
};

export function statusOfReceipt(status: string): OutboundStatus | undefined {
  return STATUS_OF_RECEIPT[status.toLowerCase()];
}

/** What an agent reads next to a failed SMS. */
export function receiptError(status: string, errorCode: string | undefined): string | undefined {
  if (statusOfReceipt(status) !== 'failed') return undefined;
  const reason = errorCode && errorCode !== '0' ? (ERROR_CODES[errorCode] ?? 'carrier error') : undefined;
  return `Delivery ${status.toLowerCase()}${reason ? `: ${reason} (err-code ${errorCode})` : ''}`;
}
