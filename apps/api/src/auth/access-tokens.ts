import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InstanceSecrets } from './instance-secrets';

/** Access tokens live this long; the chat page renews with its link, the console with its refresh cookie. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;

/** Who a request or a socket acts for. */
export type Principal =
  | { role: 'customer'; customerId: string; conversationId: string }
  | { role: 'agent' | 'admin'; agentId: string; name: string };

type Claims =
  | { typ: 'chat-session'; sub: string; conv: string }
  | { typ: 'agent-access'; sub: string; role: 'agent' | 'admin'; name: string };

/** Short-lived JWTs (HS256, the instance's signing secret) for customers' chat sessions and agents. */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly secrets: InstanceSecrets,
  ) {}

  forCustomer(customerId: string, conversationId: string): string {
    return this.sign({ typ: 'chat-session', sub: customerId, conv: conversationId });
  }

  forAgent(agentId: string, role: 'agent' | 'admin', name: string): string {
    return this.sign({ typ: 'agent-access', sub: agentId, role, name });
  }

  /** Undefined for anything but a genuine, unexpired access token. */
  verify(token: string | undefined): Principal | undefined {
    if (!token) return undefined;
    let claims: Claims;
    try {
      claims = this.jwt.verify<Claims>(token, { secret: this.secrets.signingSecret, algorithms: ['HS256'] });
    } catch {
      return undefined;
    }
    if (claims.typ === 'chat-session')
      return { role: 'customer', customerId: claims.sub, conversationId: claims.conv };
    if (claims.typ === 'agent-access' && (claims.role === 'agent' || claims.role === 'admin')) {
      return { role: claims.role, agentId: claims.sub, name: claims.name };
    }
    return undefined;
  }

  private sign(claims: Claims): string {
    return this.jwt.sign(claims, {
      secret: this.secrets.signingSecret,
      algorithm: 'HS256',
      expiresIn: ACCESS_TOKEN_SECONDS,
    });
  }
}
