import { Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { MicroBatcher } from '../../database/micro-batcher';
import { Metrics } from '../../metrics/metrics';
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

const RECEIVE_BATCH_SQL = `
  SELECT idx, outcome, ticket_id AS "ticketId", message_id AS "messageId", ticket_opened AS "ticketOpened",
         ticket_reopened AS "ticketReopened", reply_id AS "replyId"
    FROM sms_receive_batch($1, $2, $3, $4, $5, $6, $7)`;

/** Webhooks stored in one transaction at most: enough to share a commit, short enough to hold locks briefly. */
const MAX_BATCH = 64;

/**
 * The inbound unit of work is the `sms_receive` database function: one round trip (sms-receive.sql).
 * On its own it goes straight to the driver's pool as a named prepared statement, parsed and planned
 * once per connection: this is the busiest query Switchboard runs. Webhooks that arrive while one is
 * being stored are stored together by `sms_receive_batch` (one round trip and one commit for all).
 */
@Injectable()
export class InboundSmsRepository {
  private readonly logger = new Logger(InboundSmsRepository.name);
  private readonly pool: Pool;
  private readonly batcher: MicroBatcher<ReceiveSmsCommand, ReceiveSmsResult>;

  constructor(dataSource: DataSource, metrics: Metrics) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.batcher = new MicroBatcher({
      runBatch: (commands) => this.receiveBatch(commands),
      runOne: (command) => this.receiveOne(command),
      maxBatch: MAX_BATCH,
      keyOf: (command) => command.msisdn,
      onBatch: (size) => metrics.smsInboundBatchSize.observe(size),
      onBatchError: (error, size) =>
        this.logger.warn(`A batch of ${size} inbound SMS failed, storing them one by one: ${String(error)}`),
    });
  }

  /**
   * Resolves once the message is committed. With `manager`, inside that transaction (a multipart SMS
   * completed by its last part); otherwise batched with whatever else is arriving.
   */
  receive(command: ReceiveSmsCommand, manager?: EntityManager): Promise<ReceiveSmsResult> {
    return manager ? this.receiveOne(command, manager) : this.batcher.run(command);
  }

  private async receiveOne(command: ReceiveSmsCommand, manager?: EntityManager): Promise<ReceiveSmsResult> {
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

  /** One transaction for all; the settings are the same for every command (they come from the configuration). */
  private async receiveBatch(commands: ReceiveSmsCommand[]): Promise<ReceiveSmsResult[]> {
    const [first] = commands as [ReceiveSmsCommand];
    if (commands.some((command) => !sameRules(command, first)))
      throw new Error('commands with different rules');
    const items = commands.map((command) => ({
      messageId: command.messageId,
      msisdn: command.msisdn,
      to: command.to,
      body: command.body,
      payload: command.payload,
      intent: command.intent,
      nonce: command.nonce,
      signature: command.signature,
      replyBlocked: command.replyBlocked,
    }));
    const { rows } = await this.pool.query<ReceiveSmsResult & { idx: number }>({
      name: 'sms_receive_batch',
      text: RECEIVE_BATCH_SQL,
      values: [
        JSON.stringify(items),
        first.reopenDays,
        first.confirmation,
        first.helpReply,
        first.replyProvider,
        first.autoPerNumberPerHour,
        first.autoPerMinute,
      ],
    });
    if (rows.length !== commands.length)
      throw new Error(`${commands.length} commands, ${rows.length} results`);
    const results: ReceiveSmsResult[] = new Array(commands.length);
    for (const { idx, ...result } of rows) results[idx] = result;
    return results;
  }
}

const sameRules = (a: ReceiveSmsCommand, b: ReceiveSmsCommand) =>
  a.reopenDays === b.reopenDays &&
  a.confirmation === b.confirmation &&
  a.helpReply === b.helpReply &&
  a.replyProvider === b.replyProvider &&
  a.autoPerNumberPerHour === b.autoPerNumberPerHour &&
  a.autoPerMinute === b.autoPerMinute;
