import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ACCESS_TOKEN_SECONDS, AccessTokens } from '../auth/access-tokens';
import { SessionRevocations } from '../auth/session-revocations';
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
    private readonly revocations: SessionRevocations,
  ) {}

  /**
   * One message for any wrong credential, a disabled agent included: it never tells which part was
   * wrong, and the password is checked (slowly) whatever the email.
   */
  async login(email: string, password: string): Promise<SignedIn> {
    const agent = await this.agents.withPassword(email);
    const valid = await Passwords.verify(agent?.passwordHash ?? (await DUMMY_HASH), password);
    if (!agent || !agent.passwordHash || !valid || agent.disabled) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.Unauthorized, 'Wrong email or password');
    }
    const { passwordHash: _hash, ...profile } = agent;
    const refreshToken = randomBytes(32).toString('base64url');
    const sessionId = await this.agents.createSession(agent.id, hashOf(refreshToken), this.refreshExpiry());
    return this.signedIn(profile, sessionId, refreshToken);
  }

  async refresh(refreshToken: string | undefined): Promise<SignedIn> {
    const next = randomBytes(32).toString('base64url');
    const rotated = refreshToken
      ? await this.agents.rotateSession(hashOf(refreshToken), hashOf(next), this.refreshExpiry())
      : undefined;
    if (!rotated) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        'Your session has ended: sign in again',
      );
    }
    return this.signedIn(rotated.agent, rotated.sessionId, next);
  }

  /** Ends the sign-in everywhere: its refresh cookie, its access tokens and its live sockets. */
  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    const recorded = await this.agents.transaction(async (manager) => {
      const sessionId = await this.agents.revokeSession(manager, hashOf(refreshToken));
      return this.revocations.record(manager, sessionId ? [{ agentSessionId: sessionId }] : []);
    });
    recorded.applied();
  }

  /** Disables (ending every session of theirs at once) or re-enables an agent. */
  async setDisabled(actor: { agentId: string }, agentId: string, disabled: boolean): Promise<Agent> {
    if (disabled && actor.agentId === agentId) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.CannotDisableSelf,
        'You cannot disable yourself: ask another admin',
      );
    }
    const { agent, recorded } = await this.agents.transaction(async (manager) => {
      const changed = await this.agents.setDisabled(manager, agentId, disabled);
      if (!changed) {
        throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.AgentNotFound, `No agent ${agentId}`);
      }
      const revocations = changed.revokedSessionIds.map((id) => ({ agentSessionId: id }));
      return { agent: changed.agent, recorded: await this.revocations.record(manager, revocations) };
    });
    recorded.applied();
    return agent;
  }

  private signedIn(agent: Agent, sessionId: string, refreshToken: string): SignedIn {
    return {
      accessToken: this.tokens.forAgent(agent.id, agent.role, agent.name, sessionId),
      expiresIn: ACCESS_TOKEN_SECONDS,
      agent,
      refreshToken,
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + REFRESH_SESSION_DAYS * 86_400_000);
  }
}
