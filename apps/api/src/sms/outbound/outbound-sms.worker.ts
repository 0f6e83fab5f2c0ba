import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../config/app-config';
import { type Job, JobQueue } from '../../jobs/job-queue';
import { DeliveryReceiptsService } from '../delivery/delivery-receipts.service';
import { Metrics } from '../../metrics/metrics';
import { Realtime } from '../../realtime/realtime';
import { MessageDelivery } from '../../thread/message-delivery';
import { destinationBlocked } from '../destination-country';
import { SMS_PROVIDER, type SmsProvider } from '../providers/sms-provider';
import { WebhookNoncesRepository } from '../webhook-nonces.repository';
import { failedSend } from './failed-send';
import { OutboundSmsRepository, type SmsToSend } from './outbound-sms.repository';
import { SmsBudget } from './sms-budget';

export const SEND_SMS_QUEUE = 'sms.send';
const MAINTENANCE_QUEUE = 'sms.maintenance';
/** Pauses between tries to record a send the provider accepted. */
const RECORD_RETRY_DELAYS_MS = [200, 1000, 3000];

/**
 * Sends queued SMS: at most VONAGE_SMS_RATE per second across all instances, `client-ref` = our
 * message id, throttling/5xx/network errors retried with exponential backoff (pg-boss), permanent
 * failures kept with the provider's reason. A job is only completed after its outcome is recorded,
 * so a crashed worker's SMS is picked up again when the job expires.
 */
@Injectable()
export class OutboundSmsWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboundSmsWorker.name);

  constructor(
    private readonly config: AppConfig,
    private readonly messages: OutboundSmsRepository,
    private readonly receipts: DeliveryReceiptsService,
    private readonly nonces: WebhookNoncesRepository,
    private readonly jobs: JobQueue,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    private readonly realtime: Realtime,
    private readonly metrics: Metrics,
    private readonly delivery: MessageDelivery,
    private readonly budget: SmsBudget,
  ) {
    metrics.onScrape(() => this.countSuppressed());
  }

  private async countSuppressed(): Promise<void> {
    this.metrics.smsSuppressed.reset();
    for (const { reason, count } of await this.messages.suppressedLastDay()) {
      this.metrics.smsSuppressed.set({ reason }, count);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    // Backoff 1 s, 2 s, 4 s … (with jitter), 8 retries: about four minutes before giving up.
    await this.jobs.declare(SEND_SMS_QUEUE, {
      retryLimit: 8,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: 120,
    });
    await this.jobs.work<{ messageId: string }>(SEND_SMS_QUEUE, (job) => this.send(job), { concurrency: 4 });
    await this.jobs.declare(MAINTENANCE_QUEUE, { retryLimit: 0 });
    await this.jobs.schedule(MAINTENANCE_QUEUE, '* * * * *');
    await this.jobs.work(MAINTENANCE_QUEUE, async () => {
      await this.nonces.sweep(15 * 60);
      await this.messages.sweepSendWindows();
    });
  }

  async send(job: Job<{ messageId: string }>): Promise<void> {
    const sms = await this.messages.find(job.data.messageId);
    if (!sms || sms.status !== 'queued') return; // gone, or already handled by an earlier attempt
    try {
      await this.attempt(job, sms);
    } finally {
      // Whatever happened (sent, retrying, failed) shows in the agents' thread at once.
      this.realtime.inbox({ ticketId: sms.ticketId, reason: 'delivery' });
    }
  }

  private async attempt(job: Job<{ messageId: string }>, sms: SmsToSend): Promise<void> {
    if (sms.optedOut) {
      await this.delivery.markFinal(sms.id, 'suppressed', 'Not sent: the customer opted out of SMS (STOP)');
      return;
    }
    const blocked = destinationBlocked(sms.to, this.config.sms.allowedCountries);
    if (blocked) {
      await this.delivery.markFinal(sms.id, 'suppressed', blocked);
      return;
    }
    await this.budget.waitForSendSlot();
    let providerMessageIds: string[];
    try {
      ({ providerMessageIds } = await this.metrics.timeProviderCall(this.provider.name, 'sms.send', () =>
        this.provider.send({
          to: sms.to,
          // Always our configured number: the `to` of an inbound webhook is the sender's claim, not ours.
          from: this.config.supportNumber,
          text: sms.body,
          clientRef: sms.id,
        }),
      ));
    } catch (error) {
      await this.sendFailed(job, sms.id, error);
      return;
    }
    await this.recordSubmitted(sms.id, providerMessageIds);
    this.logger.log(`SMS ${sms.id} submitted to ${this.provider.name} as ${providerMessageIds.join(', ')}`);
  }

  /** A retryable failure is noted and thrown, for pg-boss to try again later; any other is final. */
  private async sendFailed(
    job: Job<{ messageId: string }>,
    messageId: string,
    error: unknown,
  ): Promise<void> {
    const failed = failedSend(job, error);
    if (failed.retry) {
      this.logger.warn(`SMS ${messageId}: ${failed.note}`);
      await this.delivery.noteRetry(messageId, failed.note);
      throw failed.error;
    }
    this.logger.warn(`SMS ${messageId} failed: ${failed.reason}`);
    await this.delivery.markFinal(messageId, 'failed', failed.reason);
  }

  /**
   * The provider has the SMS: failing to record that must not send it again, as retrying the job
   * would. So the write is retried here; only a database that stays unusable lets the error reach
   * pg-boss, whose retry may then send a second copy (at least once rather than never).
   */
  private async recordSubmitted(messageId: string, providerMessageIds: string[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.messages.transaction(async (manager) => {
          await this.receipts.holdReceipts(manager, providerMessageIds);
          await this.delivery.markSubmitted(manager, messageId, this.provider.name, providerMessageIds);
          await this.receipts.applyEarlyReceipts(manager, messageId, providerMessageIds);
        });
        return;
      } catch (error) {
        const delay = RECORD_RETRY_DELAYS_MS[attempt];
        const sent = `SMS ${messageId} went out as ${providerMessageIds.join(', ')} but recording it failed`;
        if (delay === undefined) {
          this.logger.error(`${sent}; the job will be retried: ${(error as Error).message}`);
          throw error;
        }
        this.logger.warn(`${sent}, trying again: ${(error as Error).message}`);
        await sleep(delay);
      }
    }
  }
}
