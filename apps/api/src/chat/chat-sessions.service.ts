import { HttpStatus, Injectable } from '@nestjs/common';
import { type ChatSessionResponse, ErrorCode } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { ChatLinks } from '../auth/chat-links';
import { ACCESS_TOKEN_SECONDS, AccessTokens } from '../auth/access-tokens';
import { ApiException } from '../http/api-exception';
import { Realtime } from '../realtime/realtime';

/** Trades a chat link's token for a short-lived session token for that customer's conversation. */
@Injectable()
export class ChatSessionsService {
  constructor(
    private readonly links: ChatLinks,
    private readonly tokens: AccessTokens,
    private readonly realtime: Realtime,
    private readonly dataSource: DataSource,
  ) {}

  async create(conversationId: string, token: string): Promise<ChatSessionResponse> {
    const { customerId } = this.links.verify(token, conversationId);
    const [customer] = (await this.dataSource.query(
      `SELECT u.id::text, COALESCE(u.name, u.username, 'Customer') AS name
         FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.id = $1 AND t.channel = 'chat' AND u.id = $2`,
      [conversationId, customerId],
    )) as { id: string; name: string }[];
    if (!customer) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.ChatLinkInvalid,
        'This chat link is not valid',
      );
    }
    const accessToken = this.tokens.forCustomer(customerId, conversationId);
    this.realtime.inbox({ ticketId: conversationId, reason: 'chat_opened' });
    return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS, conversationId, customer, transport: 'socket' };
  }
}
