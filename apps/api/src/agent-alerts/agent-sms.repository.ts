import { Injectable } from '@nestjs/common';
import type { CodeSms } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';

export type AgentSmsKind = 'code' | 'alert';

export interface AgentSmsToSend {
  id: string;
  kind: AgentSmsKind;
  agentId: string;
  agentName: string;
  ticketId: string | null;
  status: string;
  body: string;
  /** The number it was queued for. */
  phone: string;
  /** That number is still the agent's confirmed mobile, or the one waiting for this code. */
  stillTheirs: boolean;
  /** The number texted STOP. */
  stopped: boolean;
}

export interface PendingCode {
  phone: string;
  codeHash: string;
  attempts: number;
}

/**
 * Every SMS to an agent (`agent_sms`: confirmation codes, chat alerts, and alerts held back, which
 * carry the reason and no number) and the codes waiting for confirmation (`agent_mobile_codes`).
 */
@Injectable()
export class AgentSmsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async queue(
    manager: EntityManager,
    sms: { kind: AgentSmsKind; agentId: string; phone: string; body: string; ticketId?: string },
  ): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO agent_sms (kind, agent_id, phone, body, ticket_id, status) VALUES ($1, $2, $3, $4, $5, 'queued')
       RETURNING id::text`,
      [sms.kind, sms.agentId, sms.phone, sms.body, sms.ticketId ?? null],
    )) as { id: string }[];
    return row!.id;
  }

  /** An alert not sent, with why (for the cooldown, and the thread's event). */
  async hold(
    manager: EntityManager,
    alert: { ticketId: string; agentId?: string; phone?: string; reason: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO agent_sms (kind, agent_id, phone, ticket_id, status, error) VALUES ('alert', $1, $2, $3, 'held', $4)`,
      [alert.agentId ?? null, alert.phone ?? null, alert.ticketId, alert.reason],
    );
  }

  async find(id: string): Promise<AgentSmsToSend | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT s.id::text, s.kind, s.agent_id::text AS "agentId", COALESCE(u.name, u.email) AS "agentName",
              s.ticket_id::text AS "ticketId", s.status,
              s.body, s.phone,
              (u.phone = s.phone OR c.phone = s.phone) IS TRUE AS "stillTheirs",
              (u.phone = s.phone AND u.sms_opted_out_at IS NOT NULL) IS TRUE AS stopped
         FROM agent_sms s
         JOIN users u ON u.id = s.agent_id
         LEFT JOIN agent_mobile_codes c ON c.agent_id = s.agent_id
        WHERE s.id = $1 AND s.status <> 'held'`,
      [id],
    )) as AgentSmsToSend[];
    return row;
  }

  /** Only from `queued`: false when another attempt already recorded an outcome. */
  async markSubmitted(id: string, providerMessageIds: string[]): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH done AS (
         UPDATE agent_sms SET status = 'submitted', provider_message_ids = $2, error = NULL, updated_at = now()
          WHERE id = $1 AND status = 'queued' RETURNING id
       ) SELECT id FROM done`,
      [id, providerMessageIds],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Only from `queued`; a retry's note keeps it queued. */
  async markFailed(id: string, reason: string, final: boolean): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH done AS (
         UPDATE agent_sms SET status = CASE WHEN $3 THEN 'failed' ELSE status END, error = $2, updated_at = now()
          WHERE id = $1 AND status = 'queued' RETURNING id
       ) SELECT id FROM done`,
      [id, reason, final],
    )) as unknown[];
    return rows.length === 1;
  }

  /**
   * A delivery receipt's news, forward only (queued → submitted → sent → delivered; failed outranks
   * all). The SMS when it changed.
   */
  async advance(
    id: string,
    status: 'submitted' | 'sent' | 'delivered' | 'failed',
    error: string | undefined,
  ): Promise<
    { kind: AgentSmsKind; ticketId: string | null; agentId: string; agentName: string } | undefined
  > {
    const [row] = (await this.dataSource.query(
      `WITH advanced AS (
         UPDATE agent_sms SET status = $2, error = COALESCE($3, error), updated_at = now()
          WHERE id = $1 AND status <> 'held'
            AND array_position(ARRAY['queued', 'submitted', 'sent', 'delivered', 'failed'], status)
              < array_position(ARRAY['queued', 'submitted', 'sent', 'delivered', 'failed'], $2)
          RETURNING kind, ticket_id, agent_id
       )
       SELECT a.kind, a.ticket_id::text AS "ticketId", a.agent_id::text AS "agentId",
              COALESCE(u.name, u.email) AS "agentName"
         FROM advanced a JOIN users u ON u.id = a.agent_id`,
      [id, status, error ?? null],
    )) as { kind: AgentSmsKind; ticketId: string | null; agentId: string; agentName: string }[];
    return row;
  }

  /** Alerts (sent or held) in this conversation within the cooldown. */
  async alertedWithin(manager: EntityManager, ticketId: string, minutes: number): Promise<boolean> {
    const [row] = (await manager.query(
      `SELECT EXISTS (SELECT 1 FROM agent_sms WHERE kind = 'alert' AND ticket_id = $1
                        AND created_at > now() - make_interval(mins => $2)) AS alerted`,
      [ticketId, minutes],
    )) as { alerted: boolean }[];
    return row!.alerted;
  }

  /** SMS that went (or are going) to this number in the last hour: the per-number cap's count. */
  async sentToPhoneLastHour(manager: EntityManager, phone: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT count(*)::int AS sent FROM agent_sms
        WHERE phone = $1 AND status <> 'held' AND created_at > now() - interval '1 hour'`,
      [phone],
    )) as { sent: number }[];
    return row!.sent;
  }

  /** Takes the agent's code lock for the transaction; the codes they were sent in the last hour. */
  async lockCodes(manager: EntityManager, agentId: string): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('agent-codes:' || $1, 0))`, [agentId]);
    const [row] = (await manager.query(
      `SELECT count(*)::int AS sent FROM agent_sms
        WHERE agent_id = $1 AND kind = 'code' AND created_at > now() - interval '1 hour'`,
      [agentId],
    )) as { sent: number }[];
    return row!.sent;
  }

  async saveCode(
    manager: EntityManager,
    agentId: string,
    code: { phone: string; codeHash: string; expiresAt: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO agent_mobile_codes (agent_id, phone, code_hash, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (agent_id) DO UPDATE
         SET phone = $2, code_hash = $3, expires_at = $4, attempts = 0, created_at = now()`,
      [agentId, code.phone, code.codeHash, code.expiresAt],
    );
  }

  /** The number waiting for its code, if its code still works, and how the code's SMS is faring. */
  async pendingMobile(agentId: string): Promise<{ phone: string; codeSms: CodeSms | null } | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT c.phone,
              (SELECT json_build_object('status', s.status, 'error', s.error) FROM agent_sms s
                WHERE s.agent_id = c.agent_id AND s.kind = 'code' AND s.phone = c.phone
                ORDER BY s.id DESC LIMIT 1) AS "codeSms"
         FROM agent_mobile_codes c WHERE c.agent_id = $1 AND c.expires_at > now()`,
      [agentId],
    )) as { phone: string; codeSms: CodeSms | null }[];
    return row;
  }

  /**
   * Counts one try against the waiting code (under its row's lock) and returns it; undefined when
   * none is waiting, it expired, or it was tried `maxAttempts` times already.
   */
  async tryCode(
    manager: EntityManager,
    agentId: string,
    maxAttempts: number,
  ): Promise<PendingCode | undefined> {
    const [row] = (await manager.query(
      `WITH tried AS (
         UPDATE agent_mobile_codes SET attempts = attempts + 1
          WHERE agent_id = $1 AND expires_at > now() AND attempts < $2
          RETURNING phone, code_hash, attempts
       ) SELECT phone, code_hash AS "codeHash", attempts FROM tried`,
      [agentId, maxAttempts],
    )) as PendingCode[];
    return row;
  }

  async dropCode(manager: EntityManager, agentId: string): Promise<void> {
    await manager.query(`DELETE FROM agent_mobile_codes WHERE agent_id = $1`, [agentId]);
  }
}
