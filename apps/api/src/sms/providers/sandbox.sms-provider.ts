import { randomUUID } from 'node:crypto';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobQueue } from '../../jobs/job-queue';
import type { DeliveryReceiptsService } from '../delivery/delivery-receipts.service';
import { smsSegments } from '@switchboard/contracts';
import type { OutboundSms, SmsProvider, SmsSendResult } from './sms-provider';

const RECEIPT_QUEUE = 'sandbox.sms-receipt';
const RECEIPT_DELAY_MS = 1000;

/** Recipients ending in 0666 simulate a phone that is switched off for good (err-code 3). */
export const SANDBOX_UNREACHABLE_SUFFIX = '0666';

interface SimulatedReceipt {
  providerMessageId: string;
  clientRef: string;
  to: string;
  from: string;
  delivered: boolean;
}

/**
 * The SMS provider when no Vonage credentials are set: nothing leaves the machine. Each part gets an
 * id like Vonage's, and a second later a delivery receipt arrives through the same code as Vonage's.
 * The thread itself (the messages table) is what the phone simulator reads.
 */
export class SandboxSmsProvider implements SmsProvider, OnApplicationBootstrap {
  readonly name = 'sandbox' as const;
  private readonly logger = new Logger(SandboxSmsProvider.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly receipts: DeliveryReceiptsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.declare(RECEIPT_QUEUE, { retryLimit: 3, retryDelay: 1 });
    await this.jobs.work<SimulatedReceipt>(RECEIPT_QUEUE, async ({ data }) => {
      await this.receipts.record({
        providerMessageId: data.providerMessageId,
        clientRef: data.clientRef,
        status: data.delivered ? 'delivered' : 'failed',
        errorCode: data.delivered ? '0' : '3',
        params: { msisdn: data.to.replace(/^\+/, ''), to: data.from.replace(/^\+/, ''), simulated: 'true' },
      });
    });
  }

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    const providerMessageIds = Array.from(
      { length: smsSegments(sms.text).segments },
      () => `SANDBOX-${randomUUID()}`,
    );
    const delivered = !sms.to.endsWith(SANDBOX_UNREACHABLE_SUFFIX);
    const due = new Date(Date.now() + RECEIPT_DELAY_MS);
    for (const providerMessageId of providerMessageIds) {
      await this.jobs.send(
        RECEIPT_QUEUE,
        { providerMessageId, clientRef: sms.clientRef, to: sms.to, from: sms.from, delivered },
        due,
      );
    }
    this.logger.log(`Sandbox SMS to ${sms.to}: ${providerMessageIds.length} part(s)`);
    return { providerMessageIds };
  }
}
