import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import type { EntityManager } from 'typeorm';
import { ACCESS_TOKEN_SECONDS } from '../auth/access-tokens';
import { ChatProvider, type ChatTransport } from '../chat/chat-provider';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { JobQueue } from '../jobs/job-queue';
import { MessageDelivery } from '../thread/message-delivery';
import { CONVERSATIONS_API, type ConversationsApi } from './conversations-api';
import { VONAGE_CONVERSATIONS_PROVIDER, type ProvisionedLink } from './vonage-links.repository';
import { customerUserName, VonageProvisioning } from './vonage-provisioning';

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
 * Vonage Conversations as the chat provider. What Vonage must hear about is queued in the caller's
 * transaction (an outbox: it commits or rolls back with the customer, order or reply it is about, and
 * a Vonage outage only delays it); the chat page joins with a Client SDK token for the customer.
 */
@Injectable()
export class VonageChatProvider extends ChatProvider {
  private readonly logger = new Logger(VonageChatProvider.name);
  readonly postsReplies = true;

  constructor(
    @Inject(CONVERSATIONS_API) private readonly api: ConversationsApi,
    private readonly provisioning: VonageProvisioning,
    private readonly jobs: JobQueue,
    private readonly delivery: MessageDelivery,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Created at Vonage too, after the commit and with retries. */
  async conversationOpened(manager: EntityManager, conversationId: string): Promise<void> {
    const job: ProvisionConversationJob = { conversationId };
    await this.jobs.enqueue(manager, PROVISION_CONVERSATION_QUEUE, job);
  }

  /**
   * Flagged as waiting for Vonage (its provider set, no provider message id yet): a job posts the
   * conversation's waiting messages in order, whichever message it was queued for.
   */
  async messageRecorded(manager: EntityManager, messageId: string): Promise<void> {
    await this.delivery.awaitProvider(manager, messageId, VONAGE_CONVERSATIONS_PROVIDER);
    const job: PostEventJob = { messageId };
    await this.jobs.enqueue(manager, POST_EVENT_QUEUE, job);
  }

  /**
   * The customer joins their Vonage conversation from the browser, so it must exist now: provisioned on
   * demand when its job has not run yet (an order placed a moment ago, or Vonage down since). When
   * Vonage cannot be reached the page says the chat is unavailable and offers to retry.
   */
  async transport(conversationId: string): Promise<ChatTransport> {
    let link: ProvisionedLink;
    try {
      // The conversation exists: the chat session found it.
      link = (await this.provisioning.provision(conversationId))!;
    } catch (error) {
      this.logger.warn(
        `Chat ${conversationId} could not be opened at Vonage: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        ErrorCode.ChatProviderUnavailable,
        'The chat service is not reachable right now: try again in a minute',
      );
    }
    const { token, expiresIn } = this.api.clientToken(
      { id: link.userId, name: customerUserName(this.config.conversations!.userPrefix, link.customerId) },
      link.conversationId,
      ACCESS_TOKEN_SECONDS,
    );
    return {
      transport: 'vonage',
      vonage: { token, expiresIn, conversationId: link.conversationId, userId: link.userId },
    };
  }
}
