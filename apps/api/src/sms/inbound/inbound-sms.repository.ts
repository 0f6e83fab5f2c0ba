import { Injectable } from '@nestjs/common';
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
    FROM sms_receive($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

/** The inbound unit of work is the `sms_receive` database function: one round trip (see its migration). */
@Injectable()
export class InboundSmsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async receive(
    command: ReceiveSmsCommand,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReceiveSmsResult> {
    const rows = (await manager.query(RECEIVE_SQL, [
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
    ])) as ReceiveSmsResult[];
    return rows[0]!;
  }
}
