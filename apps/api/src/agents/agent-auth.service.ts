import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ACCESS_TOKEN_SECONDS, AccessTokens } from '../auth/access-tokens';
import { ApiException } from '../http/api-exception';
import { type Agent, AgentsRepository } from './agents.repository';
import { Passwords } from './passwords';

/** A browser stays signed in this long without signing in again (each refresh renews it). */
export const REFRESH_SESSION_DAYS = 14;

export interface SignedIn {
  accessToken: string;
  expiresIn: number;
  agent: Agent;
  /** Goes only into the httpOnly cookie, never into a response body. */
  refreshToken: string;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

// Verified when the email is unknown, so a wrong email costs as long as a wrong password.
const DUMMY_HASH = Passwords.hash(randomBytes(16).toString('hex'));

@Injectable()
export class AgentAuthService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly tokens: AccessTokens,
  ) {}

  /** One message for any wrong credential: it never tells which part was wrong. */
  async login(email: string, password: string): Promise<SignedIn> {
    const agent = await this.agents.withPassword(email);
    const valid = await Passwords.verify(agent?.passwordHash ?? (await DUMMY_HASH), password);
    if (!agent || !agent.passwordHash || !valid) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.Unauthorized, 'Wrong email or password');
    }
    const { passwordHash: _hash, ...profile } = agent;
    const refreshToken = randomBytes(32).toString('base64url');
    await this.agents.createSession(agent.id, hashOf(refreshToken), this.refreshExpiry());
    return this.signedIn(profile, refreshToken);
  }

  async refresh(refreshToken: string | undefined): Promise<SignedIn> {
    const next = randomBytes(32).toString('base64url');
    const agent = refreshToken
      ? await this.agents.rotateSession(hashOf(refreshToken), hashOf(next), this.refreshExpiry())
      : undefined;
    if (!agent) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        'Your session has ended: sign in again',
      );
    }
    return this.signedIn(agent, next);
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    if (refreshToken) await this.agents.revokeSession(hashOf(refreshToken));
  }

  private signedIn(agent: Agent, refreshToken: string): SignedIn {
    return {
      accessToken: this.tokens.forAgent(agent.id, agent.role, agent.name),
      expiresIn: ACCESS_TOKEN_SECONDS,
      agent,
      refreshToken,
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + REFRESH_SESSION_DAYS * 86_400_000);
  }
}
