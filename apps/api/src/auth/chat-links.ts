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
  /** The customer's chat-link epoch when it was issued: withdrawing their links moves it on. */
  ep?: number;
}

/**
 * The token in an order email's chat link: signed with the server secret, bound to one customer and
 * their conversation, expiring after CHAT_LINK_TTL_DAYS. Nothing in the link says who the holder is
 * except this signature (the tutorial put an editable username there). Withdrawing a customer's links
 * (`users.chat_link_epoch`) ends every link issued before.
 */
@Injectable()
export class ChatLinks {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: InstanceSecrets,
    private readonly jwt: JwtService,
  ) {}

  sign(customerId: string, conversationId: string, epoch: number): string {
    const claims: ChatLinkClaims = { typ: 'chat-link', sub: customerId, conv: conversationId, ep: epoch };
    return this.jwt.sign(claims, {
      secret: this.secrets.signingSecret,
      algorithm: 'HS256',
      expiresIn: `${this.config.chatLinkTtlDays}d`,
    });
  }

  url(customerId: string, conversationId: string, orderId: string, epoch: number): string {
    const token = this.sign(customerId, conversationId, epoch);
    return `${this.config.publicUrl}/chat/${conversationId}/${orderId}?token=${token}`;
  }

  /**
   * The customer the token was issued to, and its epoch, if it is genuine, unexpired and for this
   * conversation. Whether it was withdrawn since is the caller's check (`revoked`): it needs the database.
   */
  verify(token: string, conversationId: string): { customerId: string; epoch: number } {
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
    return { customerId: claims.sub, epoch: typeof claims.ep === 'number' ? claims.ep : 0 };
  }

  /** The answer for a genuine link whose customer's links were withdrawn after it was issued. */
  static revoked(): ApiException {
    return new ApiException(
      HttpStatus.UNAUTHORIZED,
      ErrorCode.ChatLinkRevoked,
      'This chat link was withdrawn: use the link in your latest order email, or contact us for a new one',
    );
  }
}

function invalid(): ApiException {
  return new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.ChatLinkInvalid, 'This chat link is not valid');
}
