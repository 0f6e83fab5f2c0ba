import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'admin';
}

const AGENT_COLUMNS = `id::text, email, COALESCE(name, email) AS name, role`;

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
  async create(agent: Omit<Agent, 'id'>, passwordHash: string): Promise<Agent | undefined> {
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

  async createSession(agentId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO agent_sessions (agent_id, token_hash, expires_at) VALUES ($1, $2, $3)`,
      [agentId, tokenHash, expiresAt],
    );
  }

  /**
   * Swaps a live refresh session's token for a new one, once: the old token stops working at the
   * same moment, so a stolen copy used after the browser's own refresh is worthless.
   */
  async rotateSession(oldHash: string, newHash: string, expiresAt: Date): Promise<Agent | undefined> {
    const [row] = (await this.dataSource.query(
      `WITH rotated AS (
         UPDATE agent_sessions SET token_hash = $2, expires_at = $3, last_used_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
          RETURNING agent_id
       )
       SELECT ${AGENT_COLUMNS} FROM users WHERE id = (SELECT agent_id FROM rotated) AND role IN ('agent', 'admin')`,
      [oldHash, newHash, expiresAt],
    )) as Agent[];
    return row;
  }

  async revokeSession(tokenHash: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE agent_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash],
    );
  }
}
