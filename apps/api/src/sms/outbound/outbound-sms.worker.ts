import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../config/app-config';
import { type Job, JobQueue } from '../../jobs/job-queue';
import { DeliveryReceiptsService } from '../delivery/delivery-receipts.service';
import { SMS_PROVIDER, SmsSendError, type SmsProvider } from '../providers/sms-provider';
import { WebhookNoncesRepository } from '../webhook-nonces.repository';
import { OutboundSmsRepository } from './outbound-sms.repository';

export const SEND_SMS_QUEUE = 'sms.send';
const MAINTENANCE_QUEUE = 'sms.maintenance';

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
  ) {}

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
    if (sms.optedOut) {
      await this.messages.markFinal(sms.id, 'suppressed', 'Not sent: the customer opted out of SMS (STOP)');
      return;
    }
    await this.waitForSendSlot();
    try {
      const { providerMessageIds } = await this.provider.send({
        to: sms.to,
        from: sms.from ?? this.config.supportNumber,
        text: sms.body,
        clientRef: sms.id,
      });
      await this.messages.transaction(async (manager) => {
        await this.messages.markSubmitted(manager, sms.id, this.provider.name, providerMessageIds);
        await this.receipts.applyEarlyReceipts(manager, sms.id, providerMessageIds);
      });
      this.logger.log(`SMS ${sms.id} submitted to ${this.provider.name} as ${providerMessageIds.join(', ')}`);
    } catch (error) {
      const failure =
        error instanceof SmsSendError
          ? error
          : new SmsSendError((error as Error).message ?? String(error), true);
      const attempt = job.retryCount + 1;
      if (failure.retryable && job.retryCount < job.retryLimit) {
        this.logger.warn(`SMS ${sms.id} attempt ${attempt} failed, will retry: ${failure.message}`);
        await this.messages.noteRetry(sms.id, `Attempt ${attempt} failed, retrying: ${failure.message}`);
        throw failure;
      }
      const reason = failure.retryable
        ? `Gave up after ${attempt} attempts: ${failure.message}`
        : failure.message;
      this.logger.warn(`SMS ${sms.id} failed: ${reason}`);
      await this.messages.markFinal(sms.id, 'failed', reason);
    }
  }

  private async waitForSendSlot(): Promise<void> {
    while (!(await this.messages.takeSendSlot(this.config.sms.sendRatePerSecond))) {
      await sleep(1000 - (Date.now() % 1000) + Math.random() * 20);
    }
  }
}
