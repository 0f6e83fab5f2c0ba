import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { ErrorCode } from '@switchboard/contracts';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { InstanceSecrets } from './instance-secrets';

interface ChatLinkClaims {
  typ: 'chat-link';
  /** The customer's user id. */
  sub: string;
  /** Their conversation (chat ticket) id. */
  conv: string;
}

/**
 * The token in an order email's chat link: signed with the server secret, bound to one customer and
 * their conversation, expiring after CHAT_LINK_TTL_DAYS. Nothing in the link says who the holder is
 * except this signature (the tutorial put an editable username there).
 */
@Injectable()
export class ChatLinks {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: InstanceSecrets,
    private readonly jwt: JwtService,
  ) {}

  sign(customerId: string, conversationId: string): string {
    const claims: ChatLinkClaims = { typ: 'chat-link', sub: customerId, conv: conversationId };
    return this.jwt.sign(claims, {
      secret: this.secrets.signingSecret,
      algorithm: 'HS256',
      expiresIn: `${this.config.chatLinkTtlDays}d`,
    });
  }

  url(customerId: string, conversationId: string, orderId: string): string {
    const token = this.sign(customerId, conversationId);
    return `${this.config.publicUrl}/chat/${conversationId}/${orderId}?token=${token}`;
  }

  /** The customer the token was issued to, if it is genuine, unexpired and for this conversation. */
  verify(token: string, conversationId: string): { customerId: string } {
    let claims: ChatLinkClaims;
    try {
      claims = this.jwt.verify<ChatLinkClaims>(token, {
        secret: this.secrets.signingSecret,
        algorithms: ['HS256'],
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          ErrorCode.ChatLinkExpired,
          `This chat link expired on ${error.expiredAt.toISOString().slice(0, 10)}`,
        );
      }
      throw invalid();
    }
    if (claims.typ !== 'chat-link' || claims.conv !== conversationId) throw invalid();
    return { customerId: claims.sub };
  }
}

function invalid(): ApiException {
  return new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.ChatLinkInvalid, 'This chat link is not valid');
}
