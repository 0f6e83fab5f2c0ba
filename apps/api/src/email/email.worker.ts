import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { type Job, JobQueue } from '../jobs/job-queue';
import { Metrics } from '../metrics/metrics';
import { EmailsRepository } from './emails.repository';
import { EMAIL_PROVIDER, type EmailProvider, EmailSendError } from './providers/email-provider';

export const SEND_EMAIL_QUEUE = 'email.send';

/**
 * Sends queued emails with bounded retries (pg-boss backoff; the SDK's own retries are off). Every
 * attempt of one email carries the same idempotency key, so a retry after a lost answer never mails
 * twice. Status, provider message id, and the last error are stored: a failure is never silent.
 */
@Injectable()
export class EmailWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(EmailWorker.name);

  constructor(
    private readonly config: AppConfig,
    private readonly emails: EmailsRepository,
    private readonly jobs: JobQueue,
    @Inject(EMAIL_PROVIDER) private readonly provider: EmailProvider,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // 5 s, 10 s, 20 s … with jitter: about ten minutes before giving up.
    await this.jobs.declare(SEND_EMAIL_QUEUE, {
      retryLimit: 6,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: 120,
    });
    // A burst of orders (a sale) queues as many emails: they go out as fast as the provider takes them.
    await this.jobs.work<{ emailId: string }>(SEND_EMAIL_QUEUE, (job) => this.send(job), {
      concurrency: 2,
      drain: true,
    });
  }

  async send(job: Job<{ emailId: string }>): Promise<void> {
    const email = await this.emails.find(job.data.emailId);
    if (!email || email.status !== 'queued') return;
    try {
      const result = await this.metrics.timeProviderCall(this.provider.name, 'email.send', () =>
        this.provider.sendTemplate({
          to: { email: email.toEmail, ...(email.toName ? { name: email.toName } : {}) },
          templateId: this.config.sendinblue?.templateId ?? 0,
          params: email.params,
          idempotencyKey: `switchboard-email-${email.id}`,
        }),
      );
      await this.emails.markSent(email.id, result.providerMessageId, result.copy);
      this.logger.log(
        `Email ${email.id} (${email.template}) sent through ${this.provider.name}: ${result.providerMessageId}`,
      );
    } catch (error) {
      const failure =
        error instanceof EmailSendError
          ? error
          : new EmailSendError((error as Error).message ?? String(error), true);
      const attempt = job.retryCount + 1;
      if (failure.retryable && job.retryCount < job.retryLimit) {
        this.logger.warn(`Email ${email.id} attempt ${attempt} failed, will retry: ${failure.message}`);
        await this.emails.noteRetry(email.id, `Attempt ${attempt} failed, retrying: ${failure.message}`);
        throw failure;
      }
      const reason = failure.retryable
        ? `Gave up after ${attempt} attempts: ${failure.message}`
        : failure.message;
      this.logger.warn(`Email ${email.id} failed: ${reason}`);
      await this.emails.markFailed(email.id, reason);
    }
  }
}
