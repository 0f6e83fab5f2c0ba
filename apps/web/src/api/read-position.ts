/**
 * The furthest point of the API database's log this browser has seen: from the `X-Position` of the
 * answers to its writes and the `position` of the inbox events it was told. Sent back as
 * `X-Read-After` with the console's reads, so that when the API reads from a replica, a replica that
 * has not caught up with what the agent did or was told never answers. Without a replica the API
 * sends no positions, and nothing is sent back.
 */
let seen: { text: string; value: bigint } | undefined;

/** `16/B374D848` → a number that orders positions; undefined for anything else. */
function parse(position: string): bigint | undefined {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(position);
  return match ? (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`) : undefined;
}

export function sawPosition(position: string | null | undefined): void {
  if (!position) return;
  const value = parse(position);
  if (value !== undefined && (!seen || value > seen.value)) seen = { text: position, value };
}

export function lastSeenPosition(): string | undefined {
  return seen?.text;
}

/** Forgets the position (signing out; tests). */
export function forgetPosition(): void {
  seen = undefined;
}

/** The console's reads that a replica may answer: they say what the agent has seen. */
export function readsAfterPosition(method: string, url: string): boolean {
  return method === 'GET' && new URL(url, 'http://console.invalid').pathname.startsWith('/api/tickets');
}
