import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ACCESS_TOKEN_SECONDS } from './access-token-lifetime';
import { InstanceSecrets } from './instance-secrets';
import { SessionRevocations } from './session-revocations';

export { ACCESS_TOKEN_SECONDS };

/** Who a request or a socket acts for, and until when (ms since the epoch) their token is good. */
export type Principal =
  | { role: 'customer'; customerId: string; conversationId: string; epoch: number; expiresAt: number }
  | { role: 'agent' | 'admin'; agentId: string; name: string; sessionId: string; expiresAt: number };

type SessionClaims =
  | { typ: 'chat-session'; sub: string; conv: string; ep?: number }
  | { typ: 'agent-access'; sub: string; role: 'agent' | 'admin'; name: string; sid?: string };
type Claims = SessionClaims & { exp: number };

/**
 * Short-lived JWTs (HS256, the instance's signing secret) for customers' chat sessions and agents. An
 * agent's token names its sign-in (`sid`), a customer's the chat-link epoch it came from (`ep`), so
 * signing out, disabling an agent or withdrawing chat links ends them before they expire.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly secrets: InstanceSecrets,
    private readonly revocations: SessionRevocations,
  ) {}

  forCustomer(customerId: string, conversationId: string, epoch: number): string {
    return this.sign({ typ: 'chat-session', sub: customerId, conv: conversationId, ep: epoch });
  }

  forAgent(agentId: string, role: 'agent' | 'admin', name: string, sessionId: string): string {
    return this.sign({ typ: 'agent-access', sub: agentId, role, name, sid: sessionId });
  }

  /** Undefined for anything but a genuine, unexpired access token whose session still stands. */
  verify(token: string | undefined): Principal | undefined {
    if (!token) return undefined;
    let claims: Claims;
    try {
      claims = this.jwt.verify<Claims>(token, { secret: this.secrets.signingSecret, algorithms: ['HS256'] });
    } catch {
      return undefined;
    }
    const principal = principalOf(claims);
    return principal && !this.isRevoked(principal) ? principal : undefined;
  }

  /** Whether a principal's session has been ended since its token was verified. */
  isRevoked(principal: Principal): boolean {
    return this.revocations.isRevoked(
      principal.role === 'customer'
        ? { customerId: principal.customerId, epoch: principal.epoch }
        : { agentSessionId: principal.sessionId },
    );
  }

  private sign(claims: SessionClaims): string {
    return this.jwt.sign(claims, {
      secret: this.secrets.signingSecret,
      algorithm: 'HS256',
      expiresIn: ACCESS_TOKEN_SECONDS,
    });
  }
}

function principalOf(claims: Claims): Principal | undefined {
  const expiresAt = claims.exp * 1000;
  if (claims.typ === 'chat-session') {
    return {
      role: 'customer',
      customerId: claims.sub,
      conversationId: claims.conv,
      epoch: typeof claims.ep === 'number' ? claims.ep : 0,
      expiresAt,
    };
  }
  // Agents' tokens from before sign-ins were named cannot be revoked: refused (the console refreshes).
  if (claims.typ === 'agent-access' && (claims.role === 'agent' || claims.role === 'admin') && claims.sid) {
    return { role: claims.role, agentId: claims.sub, name: claims.name, sessionId: claims.sid, expiresAt };
  }
  return undefined;
}
