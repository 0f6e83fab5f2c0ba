import { Injectable } from '@nestjs/common';
import type { OutboundStatus } from './delivery-receipt';

/** What a receipt says of an SMS: how far it got, and why it failed. */
export type ReceiptOutcome = { status: OutboundStatus; error?: string };

type ReceiptHandler = (id: string, outcome: ReceiptOutcome) => Promise<void>;

/**
 * Receipts for SMS that are not thread messages (the agents' codes and alerts): their sender gives
 * them a `client-ref` of its own, `<prefix><id>`, and registers here for the receipts that carry one.
 * (Thread messages' `client-ref` is their bare id.)
 */
@Injectable()
export class ReceiptRoutes {
  private readonly routes = new Map<string, ReceiptHandler>();

  register(prefix: string, handler: ReceiptHandler): void {
    this.routes.set(prefix, handler);
  }

  /** The receipt's owner took it; false when no route matches its client-ref. */
  async route(clientRef: string | undefined, outcome: ReceiptOutcome): Promise<boolean> {
    for (const [prefix, handler] of this.routes) {
      if (clientRef?.startsWith(prefix) && /^\d{1,18}$/.test(clientRef.slice(prefix.length))) {
        await handler(clientRef.slice(prefix.length), outcome);
        return true;
      }
    }
    return false;
  }
}
