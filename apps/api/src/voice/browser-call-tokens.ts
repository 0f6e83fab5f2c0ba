import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InstanceSecrets } from '../auth/instance-secrets';

interface CallTokenClaims {
  typ: 'voice-call';
  /** The call's id. */
  sub: string;
}

/**
 * The token a browser call carries through Vonage (`serverCall({ callToken })` → the answer URL's
 * `custom_data`): which call it is, signed with the server secret, valid two minutes. The answer URL
 * accepts it once (it binds the call to the leg that brought it).
 */
@Injectable()
export class BrowserCallTokens {
  constructor(
    private readonly secrets: InstanceSecrets,
    private readonly jwt: JwtService,
  ) {}

  sign(callId: string): string {
    const claims: CallTokenClaims = { typ: 'voice-call', sub: callId };
    return this.jwt.sign(claims, { secret: this.secrets.signingSecret, algorithm: 'HS256', expiresIn: 120 });
  }

  /** The call id, or undefined for anything not a genuine, unexpired call token. */
  verify(token: unknown): string | undefined {
    if (typeof token !== 'string' || token.length > 2000) return undefined;
    try {
      const claims = this.jwt.verify<CallTokenClaims>(token, {
        secret: this.secrets.signingSecret,
        algorithms: ['HS256'],
      });
      return claims.typ === 'voice-call' && typeof claims.sub === 'string' ? claims.sub : undefined;
    } catch {
      return undefined;
    }
  }
}
