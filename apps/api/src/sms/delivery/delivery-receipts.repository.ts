import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ReceiptRow {
  providerMessageId: string;
  clientRef?: string;
  status: string;
  errorCode?: string;
  params: Record<string, string>;
}

@Injectable()
export class DeliveryReceiptsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Taken first by a receipt and by the recording of a send, for the provider's ids involved, until
   * commit. Without it, a receipt arriving while its send is being recorded is seen by neither: it
   * finds no message yet, and the recording does not see it (uncommitted) among the early receipts.
   */
  async lockProviderMessages(manager: EntityManager, providerMessageIds: string[]): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('sms-receipt:' || id, 0))
         FROM (SELECT DISTINCT id FROM unnest($1::text[]) AS id ORDER BY id) AS ids`,
      [providerMessageIds],
    );
  }

  /** False when this receipt (same part, same status) was already recorded. */
  async insert(manager: EntityManager, receipt: ReceiptRow): Promise<string | undefined> {
    const rows = (await manager.query(
      `INSERT INTO sms_delivery_receipts (provider_message_id, client_ref, status, error_code, params)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
      [
        receipt.providerMessageId,
        receipt.clientRef ?? null,
        receipt.status,
        receipt.errorCode ?? null,
        receipt.params,
      ],
    )) as { id: string }[];
    return rows[0]?.id;
  }

  /**
   * The outbound message a receipt is about: by our `client-ref` (known before the send returned),
   * else by the provider's id of any of its parts.
   */
  async findMessage(
    manager: EntityManager,
    receipt: ReceiptRow,
  ): Promise<{ id: string; ticketId: string } | undefined> {
    if (receipt.clientRef && /^\d{1,18}$/.test(receipt.clientRef)) {
      const [byRef] = (await manager.query(
        `SELECT id::text, ticket_id::text AS "ticketId" FROM messages WHERE id = $1 AND direction = 'out'`,
        [receipt.clientRef],
      )) as { id: string; ticketId: string }[];
      if (byRef) return byRef;
    }
    const [byProviderId] = (await manager.query(
      `SELECT id::text, ticket_id::text AS "ticketId" FROM messages
        WHERE direction = 'out' AND provider_message_id = $1
           OR (direction = 'out' AND created_at > now() - interval '7 days' AND payload -> 'providerParts' ? $1)
        LIMIT 1`,
      [receipt.providerMessageId],
    )) as { id: string; ticketId: string }[];
    return byProviderId;
  }

  async link(manager: EntityManager, receiptId: string, messageId: string): Promise<void> {
    await manager.query(`UPDATE sms_delivery_receipts SET message_id = $2 WHERE id = $1`, [
      receiptId,
      messageId,
    ]);
  }

  /** Receipts that arrived before their send was recorded, now that it is. */
  async claimUnmatched(
    manager: EntityManager,
    messageId: string,
    providerMessageIds: string[],
  ): Promise<{ status: string; errorCode: string | null }[]> {
    // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
    const [claimed] = (await manager.query(
      `UPDATE sms_delivery_receipts SET message_id = $1
        WHERE message_id IS NULL AND (provider_message_id = ANY($2) OR client_ref = $3)
        RETURNING status, error_code AS "errorCode"`,
      [messageId, providerMessageIds, messageId],
    )) as [{ status: string; errorCode: string | null }[], number];
    return claimed;
  }
}
