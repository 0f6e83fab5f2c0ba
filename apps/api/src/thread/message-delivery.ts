import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Where an outbound message is on its way; it only ever moves forward. */
export type DeliveryStatus = 'queued' | 'submitted' | 'sent' | 'delivered' | 'failed';

/** Raises a message's status only forward (a late `accepted` never undoes `delivered`). */
const ADVANCE_STATUS = `
  UPDATE messages
     SET status = $2, error = $3, updated_at = now()
   WHERE id = $1 AND direction = 'out'
     AND (CASE status WHEN 'queued' THEN 0 WHEN 'submitted' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3
                      WHEN 'failed' THEN 4 ELSE 5 END)
       < (CASE $2::text WHEN 'queued' THEN 0 WHEN 'submitted' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3
                        WHEN 'failed' THEN 4 END)`;

/**
 * The delivery state of outbound messages, for every channel that hands them to a provider (SMS,
 * an external chat provider): which provider and id it has there, its status, the last error.
 */
@Injectable()
export class MessageDelivery {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Recorded once the provider took it. A receipt that got here first may already have moved it on,
   * and then its status and error (e.g. why delivery failed) stay; a retry's note is cleared.
   * `providerMessageIds`: every part's id (a long SMS has several), the first is the message's.
   */
  async markSubmitted(
    manager: EntityManager,
    messageId: string,
    provider: string,
    providerMessageIds: string[],
  ): Promise<void> {
    await manager.query(
      `UPDATE messages
          SET status = CASE WHEN status = 'queued' THEN 'submitted' ELSE status END,
              error = CASE WHEN status = 'queued' THEN NULL ELSE error END,
              provider = $2, provider_message_id = $3, updated_at = now(),
              payload = payload || jsonb_build_object('providerParts', $4::jsonb)
        WHERE id = $1`,
      [messageId, provider, providerMessageIds[0] ?? null, JSON.stringify(providerMessageIds)],
    );
  }

  /** Kept visible while retries go on, so an agent sees why it has not gone yet. */
  async noteRetry(messageId: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE messages SET error = $2, updated_at = now() WHERE id = $1`, [
      messageId,
      error,
    ]);
  }

  /** Given up before the provider took it: failed, or held back by a rule (suppressed). */
  async markFinal(messageId: string, status: 'failed' | 'suppressed', error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE messages SET status = $2, error = $3, updated_at = now() WHERE id = $1 AND status = 'queued'`,
      [messageId, status, error],
    );
  }

  /** What a provider said later (a delivery receipt), applied only if it moves the message forward. */
  async advance(
    manager: EntityManager,
    messageId: string,
    status: DeliveryStatus,
    error?: string,
  ): Promise<void> {
    await manager.query(ADVANCE_STATUS, [messageId, status, error ?? null]);
  }

  /** Flags a message as waiting for `provider` to post it (an external chat provider). */
  async awaitProvider(manager: EntityManager, messageId: string, provider: string): Promise<void> {
    await manager.query('UPDATE messages SET provider = $2 WHERE id = $1', [messageId, provider]);
  }

  /** Posted: the provider's id for it, so it is posted once. */
  async markPosted(messageId: string, provider: string, providerMessageId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE messages SET provider = $2, provider_message_id = $3, error = NULL, updated_at = now() WHERE id = $1`,
      [messageId, provider, providerMessageId],
    );
  }

  /** Gave up posting: the message stays in our thread, marked so agents see the customer did not get it. */
  async markNotPosted(messageId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE messages SET status = CASE WHEN kind = 'text' THEN 'failed' ELSE status END, error = $2,
              updated_at = now()
        WHERE id = $1 AND provider_message_id IS NULL`,
      [messageId, reason],
    );
  }
}
