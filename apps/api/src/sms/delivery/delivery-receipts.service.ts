import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { ApiException } from '../../http/api-exception';
import { fieldErrors } from '../../http/validation';
import { replayed } from '../inbound/replayed-nonce';
import { WebhookNoncesRepository } from '../webhook-nonces.repository';
import { storableRecord } from '../../database/storable-text';
import { WebhookVerifier } from '../webhook-verifier';
import { Realtime } from '../../realtime/realtime';
import { MessageDelivery } from '../../thread/message-delivery';
import { receiptError, statusOfReceipt } from './delivery-receipt';
import { DeliveryReceiptParams } from './delivery-receipt.params';
import { DeliveryReceiptsRepository, type ReceiptRow } from './delivery-receipts.repository';
import { ReceiptRoutes } from './receipt-routes';

/**
 * Delivery receipts move an outbound SMS to its status. Idempotent (a receipt is recorded once per
 * part and status), forward-only, and tolerant of receipts that arrive before the send was recorded.
 */
@Injectable()
export class DeliveryReceiptsService {
  constructor(
    private readonly receipts: DeliveryReceiptsRepository,
    private readonly nonces: WebhookNoncesRepository,
    private readonly verifier: WebhookVerifier,
    private readonly realtime: Realtime,
    private readonly delivery: MessageDelivery,
    private readonly routes: ReceiptRoutes,
  ) {}

  /** The webhook: verified, validated, then applied. */
  async receive(params: Record<string, string>): Promise<void> {
    const signature = this.verifier.verify(params);
    params = storableRecord(params);
    const dto = plainToInstance(DeliveryReceiptParams, params);
    const errors = fieldErrors(validateSync(dto, { stopAtFirstError: true }));
    if (errors.length > 0) {
      const names = [...new Set(errors.map((error) => error.field))].join(', ');
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Invalid ${names}`, errors);
    }
    const { sig: _sig, nonce: _nonce, timestamp: _timestamp, ...rest } = params;
    const receipt: ReceiptRow = {
      providerMessageId: dto.messageId,
      clientRef: dto['client-ref'],
      status: dto.status.toLowerCase(),
      errorCode: dto['err-code'],
      params: rest,
    };
    const ticketId = await this.receipts.transaction(async (manager) => {
      if (signature && !(await this.nonces.claim(manager, signature.nonce, signature.signature)))
        throw replayed();
      return this.apply(manager, receipt);
    });
    await this.settled(ticketId, receipt);
  }

  /** Also used by the sandbox provider, whose simulated receipts need no signature. */
  async record(receipt: ReceiptRow): Promise<void> {
    await this.settled(await this.receipts.transaction((manager) => this.apply(manager, receipt)), receipt);
  }

  /** After the receipt is stored: the thread's agents hear of it, or the SMS's own sender does. */
  private async settled(ticketId: string | undefined, receipt: ReceiptRow): Promise<void> {
    if (ticketId) {
      this.notify(ticketId);
      return;
    }
    const status = statusOfReceipt(receipt.status);
    if (status) {
      await this.routes.route(receipt.clientRef, {
        status,
        error: receiptError(receipt.status, receipt.errorCode),
      });
    }
  }

  /**
   * First in the transaction that records a send: receipts for these ids wait for it to commit, so
   * that either the receipt finds the recorded send, or the recording finds the receipt.
   */
  async holdReceipts(manager: EntityManager, providerMessageIds: string[]): Promise<void> {
    await this.receipts.lockProviderMessages(manager, providerMessageIds);
  }

  /** After a send is recorded (see holdReceipts): the receipts that were waiting for it take effect. */
  async applyEarlyReceipts(
    manager: EntityManager,
    messageId: string,
    providerMessageIds: string[],
  ): Promise<void> {
    for (const early of await this.receipts.claimUnmatched(manager, messageId, providerMessageIds)) {
      const status = statusOfReceipt(early.status);
      if (status) {
        await this.delivery.advance(
          manager,
          messageId,
          status,
          receiptError(early.status, early.errorCode ?? undefined),
        );
      }
    }
  }

  /** The ticket whose thread changed, if the receipt took effect. */
  private async apply(manager: EntityManager, receipt: ReceiptRow): Promise<string | undefined> {
    await this.receipts.lockProviderMessages(manager, [receipt.providerMessageId]);
    const receiptId = await this.receipts.insert(manager, receipt);
    if (!receiptId) return undefined; // already recorded
    const message = await this.receipts.findMessage(manager, receipt);
    if (!message) return undefined; // the send is not recorded yet: applyEarlyReceipts picks it up
    const messageId = message.id;
    await this.receipts.link(manager, receiptId, messageId);
    const status = statusOfReceipt(receipt.status);
    if (status)
      await this.delivery.advance(
        manager,
        messageId,
        status,
        receiptError(receipt.status, receipt.errorCode),
      );
    return message.ticketId;
  }

  private notify(ticketId: string | undefined): void {
    if (ticketId) this.realtime.inbox({ ticketId, reason: 'delivery' });
  }
}
