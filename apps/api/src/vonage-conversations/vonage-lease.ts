import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VonageLinksRepository } from './vonage-links.repository';

/** Long enough for any one step under it (a Vonage call times out after 10 s), renewed before each. */
export const LEASE_SECONDS = 60;
const POLL_MS = 200;

/** Someone else is working on this conversation at Vonage (retryable: their lease ends). */
export class ConversationBusy extends Error {
  constructor(ticketId: string) {
    super(`conversation ${ticketId} is being worked on at Vonage by another caller`);
    this.name = 'ConversationBusy';
  }
}

export interface Lease {
  /** Extends the lease before the next step; throws `ConversationBusy` when it was lost meanwhile. */
  renew(): Promise<void>;
}

/**
 * Runs `work` holding the conversation's Vonage lease (one caller at a time, across instances), waiting
 * up to `waitMs` for another holder to finish. The lease is a column, not a lock: no database connection
 * is held while `work` calls Vonage, so any number of waiters cannot exhaust the pool.
 */
export async function withLease<T>(
  links: VonageLinksRepository,
  ticketId: string,
  waitMs: number,
  work: (lease: Lease) => Promise<T>,
): Promise<T> {
  const holder = randomUUID();
  const deadline = Date.now() + waitMs;
  while (!(await links.claimLease(ticketId, holder, LEASE_SECONDS))) {
    if (Date.now() >= deadline) throw new ConversationBusy(ticketId);
    await sleep(POLL_MS);
  }
  const lease: Lease = {
    renew: async () => {
      if (!(await links.renewLease(ticketId, holder, LEASE_SECONDS))) throw new ConversationBusy(ticketId);
    },
  };
  try {
    return await work(lease);
  } finally {
    // A release that fails must not hide what `work` threw; the lease then lapses on its own.
    await links.releaseLease(ticketId, holder).catch(() => undefined);
  }
}
