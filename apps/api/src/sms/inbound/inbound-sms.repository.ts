import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { SmsIntent } from './sms-intent';

export interface ReceiveSmsCommand {
  messageId: string;
  msisdn: string;
  to: string;
  body: string;
  payload: Record<string, unknown>;
  intent: SmsIntent;
  reopenDays: number;
  confirmation: string;
  helpReply: string;
  replyProvider: string;
  nonce?: string;
  signature?: string;
  /** Why an automated reply may not go to this number (its country), or undefined. */
  replyBlocked?: string;
  autoPerNumberPerHour: number;
  autoPerMinute: number;
}

export interface ReceiveSmsResult {
  outcome: 'stored' | 'duplicate' | 'replayed_nonce';
  ticketId: string | null;
  messageId: string | null;
  ticketOpened: boolean;
  ticketReopened: boolean;
  replyId: string | null;
}

const RECEIVE_SQL = `
  SELECT outcome, ticket_id AS "ticketId", message_id AS "messageId", ticket_opened AS "ticketOpened",
         ticket_reopened AS "ticketReopened", reply_id AS "replyId"
    FROM sms_receive($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`;

/**
 * The inbound unit of work is the `sms_receive` database function: one round trip (see its migration).
 * On its own it goes straight to the driver's pool as a named prepared statement, parsed and planned
 * once per connection: this is the busiest query Switchboard runs.
 */
@Injectable()
export class InboundSmsRepository {
  private readonly pool: Pool;

  constructor(dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  /** With `manager`, inside that transaction (a multipart SMS completed by its last part). */
  async receive(command: ReceiveSmsCommand, manager?: EntityManager): Promise<ReceiveSmsResult> {
    const values = [
      command.messageId,
      command.msisdn,
      command.to,
      command.body,
      JSON.stringify(command.payload),
      command.intent,
      command.reopenDays,
      command.confirmation,
      command.helpReply,
      command.replyProvider,
      command.nonce ?? null,
      command.signature ?? null,
      command.replyBlocked ?? null,
      command.autoPerNumberPerHour,
      command.autoPerMinute,
    ];
    const rows = manager
      ? ((await manager.query(RECEIVE_SQL, values)) as ReceiveSmsResult[])
      : (await this.pool.query<ReceiveSmsResult>({ name: 'sms_receive', text: RECEIVE_SQL, values })).rows;
    return rows[0]!;
  }
}
