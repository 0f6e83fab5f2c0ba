import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { type Job, JobQueue } from '../jobs/job-queue';
import { Metrics } from '../metrics/metrics';
import {
  POST_EVENT_QUEUE,
  type PostEventJob,
  PROVISION_CONVERSATION_QUEUE,
  type ProvisionConversationJob,
} from './vonage-chat-provider';
import { CONVERSATIONS_API, type ConversationsApi, ConversationsApiError } from './conversations-api';
import { toVonageEvent } from './vonage-events';
import { type Lease, withLease } from './vonage-lease';
import { VONAGE_CONVERSATIONS_PROVIDER, VonageLinksRepository } from './vonage-links.repository';
import { MessageDelivery } from '../thread/message-delivery';
import { VonageProvisioning } from './vonage-provisioning';

/**
 * 5 s, 10 s, 20 s … with jitter: a Vonage outage of about an hour and a half delays, and loses nothing.
 * A job posts a whole conversation's backlog, one Vonage call (≤ 10 s) at a time: it may run long.
 */
const RETRIES = { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 900 };
/** A job finding another posting to the same conversation waits this long, then retries later. */
const LEASE_WAIT_MS = 5_000;

/**
 * Carries the outbox to Vonage: provisions new customers' conversations, and posts agent replies and
 * order confirmations into them as the desk, in order. A message is posted once (its Vonage event id is
 * stored, under the conversation's lease); one that could not be posted in the end is marked failed
 * with the reason, for agents to see.
 */
@Injectable()
export class VonageSyncWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(VonageSyncWorker.name);

  constructor(
    @Inject(CONVERSATIONS_API) private readonly provider: ConversationsApi,
    private readonly provisioning: VonageProvisioning,
    private readonly links: VonageLinksRepository,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
    private readonly delivery: MessageDelivery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.logger.log(
      `Chat provider: Vonage Conversations (application ${this.config.conversations!.applicationId}); ` +
        'Vonage discontinued In-App Messaging on 2026-04-30, so this works only for accounts that still have it',
    );
    await this.jobs.declare(PROVISION_CONVERSATION_QUEUE, RETRIES);
    await this.jobs.declare(POST_EVENT_QUEUE, RETRIES);
    await this.jobs.work<ProvisionConversationJob>(PROVISION_CONVERSATION_QUEUE, (job) =>
      this.provision(job),
    );
    await this.jobs.work<PostEventJob>(POST_EVENT_QUEUE, (job) => this.post(job), { concurrency: 2 });
  }

  async provision(job: Job<ProvisionConversationJob>): Promise<void> {
    const { conversationId } = job.data;
    try {
      await this.provisioning.provision(conversationId);
    } catch (error) {
      // Not fatal: opening the chat provisions on demand, so a customer is never stuck.
      if (this.willRetry(job, error)) throw error;
      this.logger.warn(`Conversation ${conversationId} not provisioned at Vonage: ${describe(error)}`);
    }
  }

  /**
   * Posts every message of the job's conversation that waits for Vonage, in our order (`seq`): Vonage
   * shows its history in its own event order, so a reply must never overtake one still being retried.
   * Under the conversation's lease nobody else posts to it; the job of a later message finds it posted.
   */
  async post(job: Job<PostEventJob>): Promise<void> {
    const message = await this.links.outboundMessage(job.data.messageId);
    if (!message || message.providerMessageId) return;
    try {
      await withLease(this.links, message.ticketId, LEASE_WAIT_MS, (lease) =>
        this.postWaiting(message.ticketId, lease, job),
      );
    } catch (error) {
      if (this.willRetry(job, error)) {
        this.logger.warn(`Message ${message.id} not posted to Vonage yet, will retry: ${describe(error)}`);
        throw error;
      }
      const reason = `Not delivered through Vonage: ${describe(error)}`;
      this.logger.warn(`Message ${message.id}: ${reason}`);
      await this.delivery.markNotPosted(message.id, reason);
    }
  }

  private async postWaiting(ticketId: string, lease: Lease, job: Job<PostEventJob>): Promise<void> {
    const link = await this.provisioning.complete(ticketId, lease);
    if (!link) return;
    for (;;) {
      await lease.renew();
      const message = await this.links.nextUnposted(ticketId);
      if (!message) return;
      const event = toVonageEvent(message);
      try {
        if (!event) throw new ConversationsApiError('nothing of it is shown in Vonage', false);
        const eventId = await this.metrics.timeProviderCall('vonage-conversations', 'post-event', () =>
          this.provider.postEvent(link.conversationId, { ...event, from: link.deskMemberId }),
        );
        await this.delivery.markPosted(
          message.id,
          VONAGE_CONVERSATIONS_PROVIDER,
          `${link.conversationId}:${eventId}`,
        );
      } catch (error) {
        // Retried as a whole, so what follows waits; given up, it is marked and the next one goes.
        if (this.willRetry(job, error)) throw error;
        const reason = `Not delivered through Vonage: ${describe(error)}`;
        this.logger.warn(`Message ${message.id}: ${reason}`);
        await this.delivery.markNotPosted(message.id, reason);
      }
    }
  }

  private willRetry(job: Job<object>, error: unknown): boolean {
    const retryable = !(error instanceof ConversationsApiError) || error.retryable;
    return retryable && job.retryCount < job.retryLimit;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
