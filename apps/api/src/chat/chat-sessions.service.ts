import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { type ChatSessionResponse, ErrorCode, type VonageChatSession } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { ChatLinks } from '../auth/chat-links';
import { AppConfig } from '../config/app-config';
import { ACCESS_TOKEN_SECONDS, AccessTokens } from '../auth/access-tokens';
import { ApiException } from '../http/api-exception';
import { Realtime } from '../realtime/realtime';
import { CONVERSATION_PROVIDER, type ConversationProvider } from './providers/conversation-provider';
import { customerUserName, VonageProvisioning } from './vonage/vonage-provisioning';
import type { ProvisionedLink } from './vonage/vonage-links.repository';

/** Trades a chat link's token for a short-lived session token for that customer's conversation. */
@Injectable()
export class ChatSessionsService {
  private readonly logger = new Logger(ChatSessionsService.name);

  constructor(
    private readonly links: ChatLinks,
    private readonly tokens: AccessTokens,
    private readonly realtime: Realtime,
    private readonly dataSource: DataSource,
    @Inject(CONVERSATION_PROVIDER) private readonly provider: ConversationProvider | null,
    private readonly provisioning: VonageProvisioning,
    private readonly config: AppConfig,
  ) {}

  async create(conversationId: string, token: string): Promise<ChatSessionResponse> {
    const { customerId, epoch } = this.links.verify(token, conversationId);
    const [found] = (await this.dataSource.query(
      `SELECT u.id::text, COALESCE(u.name, u.username, 'Customer') AS name, u.chat_link_epoch AS epoch
         FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.id = $1 AND t.channel = 'chat' AND u.id = $2`,
      [conversationId, customerId],
    )) as { id: string; name: string; epoch: number }[];
    if (!found) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.ChatLinkInvalid,
        'This chat link is not valid',
      );
    }
    if (epoch < found.epoch) throw ChatLinks.revoked();
    const customer = { id: found.id, name: found.name };
    const vonage = this.provider ? await this.vonageSession(conversationId) : undefined;
    const accessToken = this.tokens.forCustomer(customerId, conversationId, epoch);
    this.realtime.inbox({ ticketId: conversationId, reason: 'chat_opened' });
    const session = { accessToken, expiresIn: ACCESS_TOKEN_SECONDS, conversationId, customer };
    return vonage ? { ...session, transport: 'vonage', vonage } : { ...session, transport: 'socket' };
  }

  /**
   * The customer joins their Vonage conversation from the browser, so it must exist now: provisioned on
   * demand when its job has not run yet (an order placed a moment ago, or Vonage down since). When
   * Vonage cannot be reached the page says the chat is unavailable and offers to retry.
   */
  private async vonageSession(conversationId: string): Promise<VonageChatSession> {
    let link: ProvisionedLink;
    try {
      // The conversation exists: create() found it.
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
    const { token, expiresIn } = this.provider!.clientToken(
      { id: link.userId, name: customerUserName(this.config.conversations!.userPrefix, link.customerId) },
      link.conversationId,
      ACCESS_TOKEN_SECONDS,
    );
    return { token, expiresIn, conversationId: link.conversationId, userId: link.userId };
  }
}
