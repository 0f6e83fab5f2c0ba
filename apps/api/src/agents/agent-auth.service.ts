import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ACCESS_TOKEN_SECONDS, AccessTokens } from '../auth/access-tokens';
import { SessionRevocations } from '../auth/session-revocations';
import { ApiException } from '../http/api-exception';
import { type Agent, AgentsRepository, type SignInClient } from './agents.repository';
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

/**
 * Agents' sessions: sign-in, refresh, sign-out, and disabling. What changes who can act is logged
 * (the audit trail: who, from which address, which session), never a password or a token.
 */
@Injectable()
export class AgentAuthService {
  private readonly logger = new Logger('AgentAuth');

  constructor(
    private readonly agents: AgentsRepository,
    private readonly tokens: AccessTokens,
    private readonly revocations: SessionRevocations,
  ) {}

  /**
   * One message for any wrong credential, a disabled agent included: it never tells which part was
   * wrong, and the password is checked (slowly) whatever the email.
   */
  async login(email: string, password: string, client: SignInClient): Promise<SignedIn> {
    const agent = await this.agents.withPassword(email);
    const valid = await Passwords.verify(agent?.passwordHash ?? (await DUMMY_HASH), password);
    if (!agent || !agent.passwordHash || !valid || agent.disabled) {
      const why = !agent ? 'unknown email' : agent.disabled ? 'agent disabled' : 'wrong password';
      this.logger.warn({ msg: 'Sign-in refused', email, why, ip: client.ip });
      throw new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.Unauthorized, 'Wrong email or password');
    }
    const { passwordHash: _hash, ...profile } = agent;
    const refreshToken = randomBytes(32).toString('base64url');
    const sessionId = await this.agents.createSession(
      agent.id,
      hashOf(refreshToken),
      this.refreshExpiry(),
      client,
    );
    this.logger.log({ msg: 'Signed in', agentId: agent.id, sessionId, ip: client.ip });
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
    const { sessionId, recorded } = await this.agents.transaction(async (manager) => {
      const sessionId = await this.agents.revokeSession(manager, hashOf(refreshToken));
      const revocations = sessionId ? [{ agentSessionId: sessionId }] : [];
      return { sessionId, recorded: await this.revocations.record(manager, revocations) };
    });
    recorded.applied();
    if (sessionId) this.logger.log({ msg: 'Signed out', sessionId });
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
    const { agent, recorded, sessionsEnded } = await this.agents.transaction(async (manager) => {
      const changed = await this.agents.setDisabled(manager, agentId, disabled);
      if (!changed) {
        throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.AgentNotFound, `No agent ${agentId}`);
      }
      const revocations = changed.revokedSessionIds.map((id) => ({ agentSessionId: id }));
      return {
        agent: changed.agent,
        recorded: await this.revocations.record(manager, revocations),
        sessionsEnded: revocations.length,
      };
    });
    recorded.applied();
    this.logger.log({
      msg: disabled ? 'Agent disabled' : 'Agent enabled',
      agentId,
      by: actor.agentId,
      sessionsEnded,
    });
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
