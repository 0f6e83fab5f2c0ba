import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface SmsToSend {
  id: string;
  ticketId: string;
  status: string;
  body: string;
  /** The customer's number, E.164. */
  to: string;
  optedOut: boolean;
  automated: boolean;
}

/**
 * What sending SMS needs to read, and the shared send budget. The messages themselves (queued replies,
 * their delivery state) are the thread core's to write.
 */
@Injectable()
export class OutboundSmsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The ticket's channel and its customer's SMS consent, locked against a concurrent STOP. */
  async lockTicketRecipient(
    manager: EntityManager,
    ticketId: string,
  ): Promise<
    | { channel: string; phone: string | null; optedOutAt: Date | null; optOutSource: string | null }
    | undefined
  > {
    if (!/^\d{1,18}$/.test(ticketId)) return undefined;
    const [row] = (await manager.query(
      `SELECT t.channel, u.phone, u.sms_opted_out_at AS "optedOutAt", u.sms_opt_out_source AS "optOutSource"
         FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.id = $1 FOR SHARE OF u`,
      [ticketId],
    )) as { channel: string; phone: string | null; optedOutAt: Date | null; optOutSource: string | null }[];
    return row;
  }

  async find(messageId: string): Promise<SmsToSend | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT m.id, m.ticket_id::text AS "ticketId", m.status, m.body, u.phone AS "to",
              u.sms_opted_out_at IS NOT NULL AS "optedOut", m.payload ? 'automated' AS automated
         FROM messages m
         JOIN tickets t ON t.id = m.ticket_id
         JOIN users u ON u.id = t.customer_id
        WHERE m.id = $1 AND m.direction = 'out' AND m.kind = 'text' AND t.channel = 'sms'`,
      [messageId],
    )) as SmsToSend[];
    return row;
  }

  /**
   * Takes one send from this second's budget, shared by every instance through the database.
   * False when the second is used up.
   */
  async takeSendSlot(perSecond: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO sms_send_windows (second, sent) VALUES (date_trunc('second', now()), 1)
       ON CONFLICT (second) DO UPDATE SET sent = sms_send_windows.sent + 1 WHERE sms_send_windows.sent < $1
       RETURNING sent`,
      [perSecond],
    )) as unknown[];
    return rows.length === 1;
  }

  /** SMS held back in the last 24 hours, by the rule that held them. */
  async suppressedLastDay(): Promise<{ reason: string; count: number }[]> {
    return (await this.dataSource.query(
      `SELECT CASE WHEN error LIKE '%opted out%' THEN 'opted_out'
                   WHEN error LIKE '%SMS_ALLOWED_COUNTRIES%' THEN 'destination_blocked'
                   WHEN error LIKE '%SMS_AUTO_PER_NUMBER_PER_HOUR%' THEN 'per_number_cap'
                   WHEN error LIKE '%SMS_AUTO_PER_MINUTE%' THEN 'per_minute_cap'
                   ELSE 'other' END AS reason,
              count(*)::int AS count
         FROM messages WHERE status = 'suppressed' AND created_at > now() - interval '24 hours'
        GROUP BY 1`,
    )) as { reason: string; count: number }[];
  }

  async sweepSendWindows(): Promise<void> {
    await this.dataSource.query(`DELETE FROM sms_send_windows WHERE second < now() - interval '1 minute'`);
    await this.dataSource.query(`DELETE FROM sms_auto_minutes WHERE minute < now() - interval '10 minutes'`);
  }
}
