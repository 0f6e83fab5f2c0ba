import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'admin';
  /** A disabled agent cannot sign in; their sessions ended when they were disabled. */
  disabled: boolean;
}

const AGENT_COLUMNS = `id::text, email, COALESCE(name, email) AS name, role, disabled_at IS NOT NULL AS disabled`;

@Injectable()
export class AgentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async withPassword(email: string): Promise<(Agent & { passwordHash: string | null }) | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT ${AGENT_COLUMNS}, password_hash AS "passwordHash" FROM users
        WHERE lower(email) = lower($1) AND role IN ('agent', 'admin')`,
      [email],
    )) as (Agent & { passwordHash: string | null })[];
    return row;
  }

  async byId(id: string): Promise<Agent | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const [row] = (await this.dataSource.query(
      `SELECT ${AGENT_COLUMNS} FROM users WHERE id = $1 AND role IN ('agent', 'admin')`,
      [id],
    )) as Agent[];
    return row;
  }

  async list(): Promise<Agent[]> {
    return (await this.dataSource.query(
      `SELECT ${AGENT_COLUMNS} FROM users WHERE role IN ('agent', 'admin') ORDER BY name`,
    )) as Agent[];
  }

  /** Undefined when an agent with this email exists. */
  async create(agent: Omit<Agent, 'id' | 'disabled'>, passwordHash: string): Promise<Agent | undefined> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO users (role, email, name, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lower(email)) WHERE role <> 'customer' DO NOTHING RETURNING ${AGENT_COLUMNS}`,
      [agent.role, agent.email, agent.name, passwordHash],
    )) as Agent[];
    return row;
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
      id,
      passwordHash,
    ]);
  }

  /** The new sign-in's id: every access token issued for it carries it (`sid`). */
  async createSession(agentId: string, tokenHash: string, expiresAt: Date): Promise<string> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO agent_sessions (agent_id, token_hash, expires_at) VALUES ($1, $2, $3) RETURNING id::text`,
      [agentId, tokenHash, expiresAt],
    )) as { id: string }[];
    return row!.id;
  }

  /**
   * Swaps a live refresh session's token for a new one, once: the old token stops working at the
   * same moment, so a stolen copy used after the browser's own refresh is worthless. A disabled
   * agent's sessions were revoked when they were disabled, and are refused here anyway.
   */
  async rotateSession(
    oldHash: string,
    newHash: string,
    expiresAt: Date,
  ): Promise<{ agent: Agent; sessionId: string } | undefined> {
    const [row] = (await this.dataSource.query(
      `WITH rotated AS (
         UPDATE agent_sessions SET token_hash = $2, expires_at = $3, last_used_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
          RETURNING agent_id, id
       )
       SELECT ${AGENT_COLUMNS}, (SELECT id::text FROM rotated) AS "sessionId"
         FROM users
        WHERE id = (SELECT agent_id FROM rotated) AND role IN ('agent', 'admin') AND disabled_at IS NULL`,
      [oldHash, newHash, expiresAt],
    )) as (Agent & { sessionId: string })[];
    if (!row) return undefined;
    const { sessionId, ...agent } = row;
    return { agent, sessionId };
  }

  /** The session's id when it was live. */
  async revokeSession(manager: EntityManager, tokenHash: string): Promise<string | undefined> {
    const [row] = (await manager.query(
      // In a CTE because TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
      `WITH revoked AS (
         UPDATE agent_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id
       )
       SELECT id::text FROM revoked`,
      [tokenHash],
    )) as { id: string }[];
    return row?.id;
  }

  /**
   * Disables or re-enables an agent. Disabling revokes every live session of theirs, whose ids come
   * back so their access tokens and sockets can be ended too.
   */
  async setDisabled(
    manager: EntityManager,
    id: string,
    disabled: boolean,
  ): Promise<{ agent: Agent; revokedSessionIds: string[] } | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    // In CTEs because TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
    const [agent] = (await manager.query(
      `WITH changed AS (
         UPDATE users SET disabled_at = CASE WHEN $2 THEN COALESCE(disabled_at, now()) END, updated_at = now()
          WHERE id = $1 AND role IN ('agent', 'admin')
          RETURNING *
       )
       SELECT ${AGENT_COLUMNS} FROM changed`,
      [id, disabled],
    )) as Agent[];
    if (!agent) return undefined;
    const revoked = disabled
      ? ((await manager.query(
          `WITH revoked AS (
             UPDATE agent_sessions SET revoked_at = now()
              WHERE agent_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING id
           )
           SELECT id::text FROM revoked`,
          [id],
        )) as { id: string }[])
      : [];
    return { agent, revokedSessionIds: revoked.map((row) => row.id) };
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
