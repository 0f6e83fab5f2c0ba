import { HttpStatus, Injectable } from '@nestjs/common';
import { type ChatSessionResponse, ErrorCode } from '@switchboard/contracts';
import { ChatAlerts } from '../agent-alerts/chat-alerts';
import { ChatLinks } from '../auth/chat-links';
import { ACCESS_TOKEN_SECONDS, AccessTokens } from '../auth/access-tokens';
import { ApiException } from '../http/api-exception';
import { Realtime } from '../realtime/realtime';
import { ThreadViews } from '../thread/thread-views';
import { ChatProvider } from './chat-provider';

/** Trades a chat link's token for a short-lived session token for that customer's conversation. */
@Injectable()
export class ChatSessionsService {
  constructor(
    private readonly links: ChatLinks,
    private readonly tokens: AccessTokens,
    private readonly realtime: Realtime,
    private readonly views: ThreadViews,
    private readonly provider: ChatProvider,
    private readonly alerts: ChatAlerts,
  ) {}

  async create(conversationId: string, token: string): Promise<ChatSessionResponse> {
    const { customerId, epoch } = this.links.verify(token, conversationId);
    const found = await this.views.conversation(conversationId);
    if (!found || found.customerId !== customerId) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.ChatLinkInvalid,
        'This chat link is not valid',
      );
    }
    if (epoch < found.linkEpoch) throw ChatLinks.revoked();
    const customer = { id: found.customerId, name: found.customerName };
    const transport = await this.provider.transport(conversationId);
    const accessToken = this.tokens.forCustomer(customerId, conversationId, epoch);
    this.realtime.inbox({ ticketId: conversationId, reason: 'chat_opened' });
    this.alerts.customerOpened(conversationId);
    const session = { accessToken, expiresIn: ACCESS_TOKEN_SECONDS, conversationId, customer };
    return { ...session, ...transport };
  }
}
