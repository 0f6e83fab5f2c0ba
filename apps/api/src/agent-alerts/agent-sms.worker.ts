import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { type Job, JobQueue } from '../jobs/job-queue';
import { Metrics } from '../metrics/metrics';
import { destinationBlocked } from '../sms/destination-country';
import { SmsBudget } from '../sms/outbound/sms-budget';
import { ReceiptRoutes, type ReceiptOutcome } from '../sms/delivery/receipt-routes';
import { failedSend } from '../sms/outbound/failed-send';
import { SMS_PROVIDER, type SmsProvider } from '../sms/providers/sms-provider';
import { AgentSmsRepository, type AgentSmsToSend } from './agent-sms.repository';
import { ChatAlerts } from './chat-alerts';
import { SEND_AGENT_SMS_QUEUE } from './queues';

const CLIENT_REF_PREFIX = 'agent-sms-';

/**
 * Sends the SMS to agents (codes, alerts) through the same provider and send rate as every other SMS,
 * from the support number. `client-ref` is `agent-sms-<id>`, which no customer message's id can be.
 * Retried with backoff like the customers' SMS; an alert that finally fails says so in its ticket.
 */
@Injectable()
export class AgentSmsWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(AgentSmsWorker.name);

  constructor(
    private readonly config: AppConfig,
    private readonly sms: AgentSmsRepository,
    private readonly jobs: JobQueue,
    private readonly budget: SmsBudget,
    private readonly alerts: ChatAlerts,
    private readonly metrics: Metrics,
    private readonly receipts: ReceiptRoutes,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.receipts.register(CLIENT_REF_PREFIX, (id, outcome) => this.receipt(id, outcome));
    await this.jobs.declare(SEND_AGENT_SMS_QUEUE, {
      retryLimit: 8,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: 120,
    });
    await this.jobs.work<{ smsId: string }>(SEND_AGENT_SMS_QUEUE, (job) => this.send(job), {
      concurrency: 2,
      pollingIntervalSeconds: 1,
      drain: true,
    });
  }

  async send(job: Job<{ smsId: string }>): Promise<void> {
    const sms = await this.sms.find(job.data.smsId);
    if (!sms || sms.status !== 'queued') return; // already handled by an earlier attempt
    const refused = !sms.stillTheirs
      ? 'Not sent: the number is no longer the agent’s'
      : sms.stopped
        ? 'Not sent: the agent’s phone texted STOP'
        : destinationBlocked(sms.phone, this.config.sms.allowedCountries);
    if (refused) {
      await this.fail(sms, refused);
      return;
    }
    await this.budget.waitForSendSlot();
    try {
      const { providerMessageIds } = await this.metrics.timeProviderCall(this.provider.name, 'sms.send', () =>
        this.provider.send({
          to: sms.phone,
          from: this.config.supportNumber,
          text: sms.body,
          clientRef: `${CLIENT_REF_PREFIX}${sms.id}`,
        }),
      );
      await this.sms.markSubmitted(sms.id, providerMessageIds);
      this.logger.log(`Agent SMS ${sms.id} (${sms.kind}) submitted as ${providerMessageIds.join(', ')}`);
    } catch (error) {
      const failed = failedSend(job, error);
      if (failed.retry) {
        await this.sms.markFailed(sms.id, failed.note, false);
        throw failed.error;
      }
      await this.fail(sms, failed.reason);
    }
  }

  /** A delivery receipt: a failed alert says so in its ticket. */
  private async receipt(id: string, outcome: ReceiptOutcome): Promise<void> {
    if (outcome.status === 'queued') return;
    const changed = await this.sms.advance(id, outcome.status, outcome.error);
    if (changed?.kind === 'alert' && changed.ticketId && outcome.status === 'failed') {
      const reason = outcome.error ?? 'Delivery failed';
      await this.alerts.failed(changed.ticketId, { id: changed.agentId, name: changed.agentName }, reason);
    }
  }

  private async fail(sms: AgentSmsToSend, reason: string): Promise<void> {
    this.logger.warn(`Agent SMS ${sms.id} (${sms.kind}) failed: ${reason}`);
    if (!(await this.sms.markFailed(sms.id, reason, true))) return;
    if (sms.kind === 'alert' && sms.ticketId) {
      await this.alerts.failed(sms.ticketId, { id: sms.agentId, name: sms.agentName }, reason);
    }
  }
}
