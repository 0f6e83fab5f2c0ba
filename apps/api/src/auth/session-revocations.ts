import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ACCESS_TOKEN_SECONDS } from './access-token-lifetime';

/** Every instance reads new revocations this often: a revoked session ends everywhere within it. */
export const REVOCATION_POLL_MS = 2_000;
/** An access token cannot outlive this, so a revocation need not be remembered longer. */
const REMEMBER_MS = (ACCESS_TOKEN_SECONDS + 120) * 1000;
/** Rows stay this long for instances that were down (they load the last REMEMBER_MS at start). */
const KEEP_ROWS = '1 day';

/** A session that must end now: one agent sign-in, or a customer's chat sessions from older links. */
export type Revocation = { agentSessionId: string } | { customerId: string; epoch: number };

/** Whose tokens a revocation is checked against. */
export type RevocableSession = { agentSessionId: string } | { customerId: string; epoch: number };

type Row = { id: string; subject: string; epoch: number | null };

/**
 * Revoked sessions, known to every instance. A revocation is a row in `session_revocations`, written
 * in the transaction that ends the session (sign-out, an agent disabled, chat links withdrawn); every
 * instance polls for new rows, so its access-token checks and its sockets learn of it within
 * REVOCATION_POLL_MS, and the instance that wrote it acts at once. Only the last few minutes matter:
 * older tokens have expired by themselves.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionRevocations.name);
  private readonly agentSessions = new Map<string, number>();
  private readonly customerEpochs = new Map<string, { epoch: number; forgetAt: number }>();
  private readonly seen = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private polls = 0;

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.load(`${Math.ceil(REMEMBER_MS / 1000)} seconds`);
    this.timer = setInterval(() => void this.poll(), REVOCATION_POLL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** True when the session behind a verified token has been ended. */
  isRevoked(session: RevocableSession): boolean {
    if ('agentSessionId' in session) return this.agentSessions.has(session.agentSessionId);
    const revoked = this.customerEpochs.get(session.customerId);
    return revoked !== undefined && session.epoch < revoked.epoch;
  }

  /** Called after new revocations were learnt (sockets of revoked sessions are closed there). */
  onRevoked(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Records revocations in the caller's transaction. Call `applied` once it committed, so this
   * instance acts at once instead of at its next poll.
   */
  async record(manager: EntityManager, revocations: Revocation[]): Promise<{ applied(): void }> {
    if (revocations.length > 0) {
      await manager.query(
        `INSERT INTO session_revocations (subject, epoch)
         SELECT * FROM unnest($1::text[], $2::int[])`,
        [revocations.map(subjectOf), revocations.map((r) => ('epoch' in r ? r.epoch : null))],
      );
    }
    return {
      applied: () => {
        for (const revocation of revocations) this.remember(revocation, Date.now() + REMEMBER_MS);
        if (revocations.length > 0) this.notify();
      },
    };
  }

  private async poll(): Promise<void> {
    try {
      // A generous window rather than "id > last": ids are taken before commit, so a slow transaction
      // can commit a smaller id after a larger one was read.
      await this.load('1 minute');
      if (++this.polls % 300 === 0) {
        await this.dataSource.query(
          `DELETE FROM session_revocations WHERE created_at < now() - interval '${KEEP_ROWS}'`,
        );
      }
    } catch (error) {
      this.logger.warn(`Reading session revocations failed: ${(error as Error).message}`);
    }
  }

  private async load(window: string): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT id::text, subject, epoch FROM session_revocations
        WHERE created_at > now() - $1::interval`,
      [window],
    )) as Row[];
    const now = Date.now();
    let learnt = false;
    for (const row of rows) {
      if (this.seen.has(row.id)) continue;
      this.seen.set(row.id, now + REMEMBER_MS);
      const revocation = revocationOf(row);
      if (revocation) {
        this.remember(revocation, now + REMEMBER_MS);
        learnt = true;
      }
    }
    this.forgetOld(now);
    if (learnt) this.notify();
  }

  private remember(revocation: Revocation, forgetAt: number): void {
    if ('agentSessionId' in revocation) {
      this.agentSessions.set(revocation.agentSessionId, forgetAt);
      return;
    }
    const known = this.customerEpochs.get(revocation.customerId);
    if (!known || known.epoch <= revocation.epoch) {
      this.customerEpochs.set(revocation.customerId, { epoch: revocation.epoch, forgetAt });
    }
  }

  private forgetOld(now: number): void {
    for (const [id, forgetAt] of this.seen) if (forgetAt < now) this.seen.delete(id);
    for (const [id, forgetAt] of this.agentSessions) if (forgetAt < now) this.agentSessions.delete(id);
    for (const [id, { forgetAt }] of this.customerEpochs) if (forgetAt < now) this.customerEpochs.delete(id);
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error(`A revocation listener failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
  }
}

function subjectOf(revocation: Revocation): string {
  return 'agentSessionId' in revocation
    ? `agent-session:${revocation.agentSessionId}`
    : `customer:${revocation.customerId}`;
}

function revocationOf(row: Row): Revocation | undefined {
  const [kind, id] = row.subject.split(':', 2) as [string, string | undefined];
  if (!id) return undefined;
  if (kind === 'agent-session') return { agentSessionId: id };
  if (kind === 'customer' && row.epoch !== null) return { customerId: id, epoch: row.epoch };
  return undefined;
}
