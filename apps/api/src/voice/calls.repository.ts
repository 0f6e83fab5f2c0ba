import { Injectable } from '@nestjs/common';
import { type CallStatus, type CallView, ENDED_CALL_STATUSES } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';

/** A call as the voice module works with it. */
export interface CallRow {
  id: string;
  ticketId: string;
  customerId: string;
  agentId: string | null;
  agentName: string | null;
  kind: 'callback' | 'browser';
  /** Null for a call from the browser. */
  customerPhone: string | null;
  agentPhone: string;
  conversationUuid: string | null;
  /** A browser call's agent leg is a call of its own. */
  agentConversationUuid: string | null;
  customerLeg: string | null;
  agentLeg: string | null;
  status: CallStatus;
  durationSeconds: number | null;
  createdAt: string;
}

const CALL_COLUMNS = `c.id::text, c.ticket_id::text AS "ticketId", c.customer_id::text AS "customerId",
  c.agent_id::text AS "agentId", COALESCE(a.name, a.email) AS "agentName", c.kind,
  c.customer_phone AS "customerPhone", c.agent_phone AS "agentPhone", c.conversation_uuid AS "conversationUuid",
  c.agent_conversation_uuid AS "agentConversationUuid", c.customer_leg AS "customerLeg",
  c.agent_leg AS "agentLeg", c.status, c.duration_seconds AS "durationSeconds",
  to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/** A call not over within this long is taken as lost (its provider never said): it holds nothing back. */
const STALE_MINUTES = 15;

/** `calls` and `call_events`: this module's own. */
@Injectable()
export class CallsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For reads that need no transaction (any pooled connection). */
  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  /** One request at a time per conversation: the hourly count and "one call at a time" read what the last wrote. */
  async lockConversation(manager: EntityManager, ticketId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('calls:' || $1, 0))`, [ticketId]);
  }

  async countLastHour(manager: EntityManager, ticketId: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT count(*)::int AS n FROM calls WHERE ticket_id = $1 AND created_at > now() - interval '1 hour'`,
      [ticketId],
    )) as { n: number }[];
    return row!.n;
  }

  /** The conversation's call not over yet (and not lost), if any. */
  async current(
    ticketId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CallRow | undefined> {
    const [row] = (await manager.query(
      `SELECT ${CALL_COLUMNS} FROM calls c LEFT JOIN users a ON a.id = c.agent_id
        WHERE c.ticket_id = $1 AND c.status IN ('requested', 'ringing', 'answered', 'connected')
          AND c.created_at > now() - make_interval(mins => $2)
          -- A browser call whose token (2 minutes) ran out before the page placed it never will be.
          AND NOT (c.kind = 'browser' AND c.customer_leg IS NULL AND c.created_at < now() - interval '3 minutes')
        ORDER BY c.id DESC LIMIT 1`,
      [ticketId, STALE_MINUTES],
    )) as CallRow[];
    return row;
  }

  /** `lock`: held until the transaction ends, so a call's events apply one at a time. */
  async byId(
    callId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<CallRow | undefined> {
    if (!/^[0-9]{1,18}$/.test(callId)) return undefined;
    const [row] = (await manager.query(
      `SELECT ${CALL_COLUMNS} FROM calls c LEFT JOIN users a ON a.id = c.agent_id WHERE c.id = $1
       ${lock ? 'FOR UPDATE OF c' : ''}`,
      [callId],
    )) as CallRow[];
    return row;
  }

  async create(
    manager: EntityManager,
    call: {
      ticketId: string;
      customerId: string;
      agentId: string;
      kind: CallRow['kind'];
      customerPhone: string | null;
      agentPhone: string;
      provider: string;
    },
  ): Promise<CallRow> {
    const [row] = (await manager.query(
      `INSERT INTO calls (ticket_id, customer_id, agent_id, kind, customer_phone, agent_phone, provider)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
      [
        call.ticketId,
        call.customerId,
        call.agentId,
        call.kind,
        call.customerPhone,
        call.agentPhone,
        call.provider,
      ],
    )) as { id: string }[];
    return (await this.byId(row!.id, manager))!;
  }

  /** The provider's ids, once it took the call (its first event may have set them already). */
  async placed(callId: string, legId: string, conversationUuid: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE calls SET customer_leg = COALESCE(customer_leg, $2), conversation_uuid = COALESCE(conversation_uuid, $3)
        WHERE id = $1`,
      [callId, legId, conversationUuid],
    );
  }

  async setIds(
    manager: EntityManager,
    callId: string,
    ids: {
      conversationUuid?: string;
      agentConversationUuid?: string;
      customerLeg?: string;
      agentLeg?: string;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE calls SET conversation_uuid = COALESCE(conversation_uuid, $2),
              agent_conversation_uuid = COALESCE(agent_conversation_uuid, $3),
              customer_leg = COALESCE(customer_leg, $4), agent_leg = COALESCE(agent_leg, $5)
        WHERE id = $1`,
      [
        callId,
        ids.conversationUuid ?? null,
        ids.agentConversationUuid ?? null,
        ids.customerLeg ?? null,
        ids.agentLeg ?? null,
      ],
    );
  }

  /**
   * A browser call meets the leg Vonage made for it: true for the first leg only (its token is then
   * spent), and only while the call waits for it.
   */
  async bindBrowserLeg(
    manager: EntityManager,
    callId: string,
    leg: string,
    conversationUuid: string | null,
  ): Promise<boolean> {
    const [rows] = (await manager.query(
      `UPDATE calls SET customer_leg = $2, conversation_uuid = $3
        WHERE id = $1 AND kind = 'browser' AND customer_leg IS NULL AND status = 'requested'
       RETURNING 1`,
      [callId, leg, conversationUuid],
    )) as [unknown[], number];
    return rows.length === 1;
  }

  /** The call one of whose legs (or conversations) this is: for events at the application's URL. */
  async idByLeg(leg: string, conversationUuid: string | undefined): Promise<string | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT id::text FROM calls
        WHERE customer_leg = $1 OR agent_leg = $1 OR conversation_uuid = $2 OR agent_conversation_uuid = $2
        ORDER BY id DESC LIMIT 1`,
      [leg, conversationUuid ?? null],
    )) as { id: string }[];
    return row?.id;
  }

  /** False when this leg's status was recorded before: the same event again records nothing. */
  async recordEvent(manager: EntityManager, callId: string, leg: string, status: string): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO call_events (call_id, leg, status) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [callId, leg, status],
    )) as unknown[];
    return rows.length === 1;
  }

  async setStatus(
    manager: EntityManager,
    callId: string,
    status: CallStatus,
    outcome: { detail?: string | null; durationSeconds?: number | null } = {},
  ): Promise<void> {
    await manager.query(
      `UPDATE calls SET status = $2, detail = COALESCE($3, detail),
              duration_seconds = COALESCE($4, duration_seconds),
              connected_at = CASE WHEN $2 = 'connected' THEN COALESCE(connected_at, now()) ELSE connected_at END,
              ended_at = CASE WHEN $5 THEN COALESCE(ended_at, now()) ELSE ended_at END
        WHERE id = $1`,
      [callId, status, outcome.detail ?? null, outcome.durationSeconds ?? null, isEnded(status)],
    );
  }

  /** Talk time so far, by our clock: for a call the provider ended without a duration. */
  async secondsConnected(manager: EntityManager, callId: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT COALESCE(extract(epoch FROM now() - connected_at), 0)::int AS s FROM calls WHERE id = $1`,
      [callId],
    )) as { s: number }[];
    return row?.s ?? 0;
  }

  /** The conversation's assignee (tickets are the thread core's: read only). */
  async assigneeOf(manager: EntityManager, ticketId: string): Promise<string | null> {
    const [row] = (await manager.query(`SELECT assignee_id::text AS id FROM tickets WHERE id = $1`, [
      ticketId,
    ])) as {
      id: string | null;
    }[];
    return row?.id ?? null;
  }

  /** The number on the customer's record (users is the users module's: read only). */
  async customerPhone(customerId: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(`SELECT phone FROM users WHERE id = $1`, [customerId])) as {
      phone: string | null;
    }[];
    return row?.phone ?? null;
  }
}

export function isEnded(status: CallStatus): boolean {
  return ENDED_CALL_STATUSES.includes(status);
}

export function callView(call: CallRow): CallView {
  return {
    id: call.id,
    status: call.status,
    via: call.kind === 'browser' ? 'browser' : 'phone',
    phone: call.customerPhone,
    durationSeconds: call.durationSeconds,
    createdAt: call.createdAt,
  };
}
