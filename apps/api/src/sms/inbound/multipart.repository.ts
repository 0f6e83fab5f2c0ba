import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ConcatGroup {
  to: string;
  msisdn: string;
  ref: string;
}

export interface StoredPart {
  vonageMessageId: string;
  part: number;
  total: number;
  body: string;
  params: Record<string, string>;
}

/** The parts of multipart SMS waiting for their siblings (`sms_inbound_parts`). */
@Injectable()
export class MultipartRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction holding the group's lock, so parts of one SMS are handled one at a time. */
  withGroupLock<T>(group: ConcatGroup, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `sms-concat:${group.to}:${group.msisdn}:${group.ref}`,
      ]);
      return work(manager);
    });
  }

  /** False when this part was already stored (a retried delivery, or the same part resent). */
  async insertPart(manager: EntityManager, group: ConcatGroup, part: StoredPart): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO sms_inbound_parts
         (vonage_message_id, msisdn, to_number, concat_ref, concat_total, concat_part, body, params)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        part.vonageMessageId,
        group.msisdn,
        group.to,
        group.ref,
        part.total,
        part.part,
        part.body,
        part.params,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  /** True when this part number of the group was assembled into a message within the last `seconds`. */
  async assembledRecently(
    manager: EntityManager,
    group: ConcatGroup,
    part: number,
    seconds: number,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM sms_inbound_parts
        WHERE to_number = $1 AND msisdn = $2 AND concat_ref = $3 AND concat_part = $4
          AND message_id IS NOT NULL AND received_at > now() - make_interval(secs => $5)
        LIMIT 1`,
      [group.to, group.msisdn, group.ref, part, seconds],
    )) as unknown[];
    return rows.length > 0;
  }

  async pendingParts(manager: EntityManager, group: ConcatGroup): Promise<StoredPart[]> {
    return (await manager.query(
      `SELECT vonage_message_id AS "vonageMessageId", concat_part AS part, concat_total AS total, body, params
         FROM sms_inbound_parts
        WHERE to_number = $1 AND msisdn = $2 AND concat_ref = $3 AND message_id IS NULL
        ORDER BY concat_part`,
      [group.to, group.msisdn, group.ref],
    )) as StoredPart[];
  }

  async markAssembled(manager: EntityManager, parts: StoredPart[], messageId: string): Promise<void> {
    await manager.query(`UPDATE sms_inbound_parts SET message_id = $1 WHERE vonage_message_id = ANY($2)`, [
      messageId,
      parts.map((part) => part.vonageMessageId),
    ]);
  }
}
