import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobQueue } from '../../jobs/job-queue';
import { MessageDelivery } from '../../thread/message-delivery';
import { VONAGE_CONVERSATIONS_PROVIDER } from '../vonage/vonage-links.repository';
import { CONVERSATION_PROVIDER, type ConversationProvider } from './conversation-provider';

/** Jobs of the chat provider, worked by `VonageSyncWorker`. */
export const PROVISION_CONVERSATION_QUEUE = 'vonage.provision';
export const POST_EVENT_QUEUE = 'vonage.post-event';

export interface ProvisionConversationJob {
  conversationId: string;
}

export interface PostEventJob {
  messageId: string;
}

/**
 * What the chat provider must hear about, queued in the caller's transaction: it commits or rolls back
 * with the customer, order or reply it is about, and a provider outage only delays it. Without an
 * external provider it does nothing: the built-in chat already has everything in Postgres.
 */
@Injectable()
export class ConversationOutbox {
  constructor(
    @Inject(CONVERSATION_PROVIDER) private readonly provider: ConversationProvider | null,
    private readonly jobs: JobQueue,
    private readonly delivery: MessageDelivery,
  ) {}

  /** True when agents' replies must be handed to an external provider (see messageRecorded). */
  get postsReplies(): boolean {
    return this.provider !== null;
  }

  /** A customer's chat conversation was created: create it at the provider too. */
  async conversationOpened(manager: EntityManager, conversationId: string): Promise<void> {
    if (!this.provider) return;
    const job: ProvisionConversationJob = { conversationId };
    await this.jobs.enqueue(manager, PROVISION_CONVERSATION_QUEUE, job);
  }

  /**
   * We stored a message or event the customer must see there (an agent's reply, an order confirmation).
   * Flagged as waiting for the provider (its provider set, no provider message id yet): a job posts the
   * conversation's waiting messages in order, whichever message it was queued for.
   */
  async messageRecorded(manager: EntityManager, messageId: string): Promise<void> {
    if (!this.provider) return;
    await this.delivery.awaitProvider(manager, messageId, VONAGE_CONVERSATIONS_PROVIDER);
    const job: PostEventJob = { messageId };
    await this.jobs.enqueue(manager, POST_EVENT_QUEUE, job);
  }
}
