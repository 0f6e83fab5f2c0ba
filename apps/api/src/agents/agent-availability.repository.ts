import { Injectable } from '@nestjs/common';
import type { AgentAvailability, QuietHours } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';

/** What the alerts need to know of an agent. */
export interface AlertableAgent {
  id: string;
  name: string;
  /** Confirmed mobile, E.164. */
  mobile: string;
  /** Their mobile texted STOP. */
  stopped: boolean;
  /** Now inside their quiet hours. */
  quiet: boolean;
}

const QUIET_HOURS = `CASE WHEN quiet_from IS NULL THEN NULL ELSE json_build_object(
  'from', to_char(quiet_from, 'HH24:MI'), 'to', to_char(quiet_to, 'HH24:MI'), 'timeZone', time_zone) END`;

/**
 * An agent's availability, on their `users` row: the confirmed mobile (`phone`, unique among all
 * users, so a number is one person's), the on-duty switch, quiet hours. The agents module owns agents'
 * rows; the codes that confirm a number are agent-alerts'.
 */
@Injectable()
export class AgentAvailabilityRepository {
  constructor(private readonly dataSource: DataSource) {}

  async availability(
    agentId: string,
  ): Promise<Omit<AgentAvailability, 'pendingMobile' | 'codeSms'> | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT phone AS mobile, on_duty AS "onDuty", ${QUIET_HOURS} AS "quietHours",
              sms_opted_out_at IS NOT NULL AS "smsStopped"
         FROM users WHERE id = $1 AND role IN ('agent', 'admin')`,
      [agentId],
    )) as Omit<AgentAvailability, 'pendingMobile' | 'codeSms'>[];
    return row;
  }

  async update(agentId: string, change: { onDuty?: boolean; quietHours?: QuietHours | null }): Promise<void> {
    const quiet = change.quietHours;
    await this.dataSource.query(
      `UPDATE users SET on_duty = COALESCE($2, on_duty),
              quiet_from = CASE WHEN $3 THEN $4::time ELSE quiet_from END,
              quiet_to = CASE WHEN $3 THEN $5::time ELSE quiet_to END,
              time_zone = CASE WHEN $3 THEN $6 ELSE time_zone END,
              updated_at = now()
        WHERE id = $1`,
      [
        agentId,
        change.onDuty ?? null,
        quiet !== undefined,
        quiet?.from ?? null,
        quiet?.to ?? null,
        quiet?.timeZone ?? null,
      ],
    );
  }

  /**
   * The agent's confirmed mobile. False when the number is another user's (a customer who texted
   * us from it, another agent). A new number starts without a STOP; the same number keeps its own.
   */
  async setMobile(manager: EntityManager, agentId: string, mobile: string | null): Promise<boolean> {
    try {
      await manager.query(
        `UPDATE users SET phone = $2,
                sms_opted_out_at = CASE WHEN phone IS DISTINCT FROM $2 THEN NULL ELSE sms_opted_out_at END,
                sms_opt_out_source = CASE WHEN phone IS DISTINCT FROM $2 THEN NULL ELSE sms_opt_out_source END,
                updated_at = now()
          WHERE id = $1`,
        [agentId, mobile],
      );
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return false;
      throw error;
    }
  }

  /** Whose number this is, when it is someone's. */
  async ownerOf(mobile: string): Promise<string | undefined> {
    const [row] = (await this.dataSource.query(`SELECT id::text FROM users WHERE phone = $1`, [mobile])) as {
      id: string;
    }[];
    return row?.id;
  }

  /** Agents on duty with a confirmed mobile, not disabled, in the order alerts take turns: the longest without one first. */
  async onDuty(manager: EntityManager): Promise<AlertableAgent[]> {
    return (await manager.query(
      `SELECT u.id::text, COALESCE(u.name, u.email) AS name, u.phone AS mobile,
              u.sms_opted_out_at IS NOT NULL AS stopped,
              CASE WHEN u.quiet_from IS NULL THEN false
                   WHEN u.quiet_from <= u.quiet_to
                     THEN (now() AT TIME ZONE u.time_zone)::time >= u.quiet_from
                      AND (now() AT TIME ZONE u.time_zone)::time < u.quiet_to
                   ELSE (now() AT TIME ZONE u.time_zone)::time >= u.quiet_from
                     OR (now() AT TIME ZONE u.time_zone)::time < u.quiet_to END AS quiet
         FROM users u
        WHERE u.role IN ('agent', 'admin') AND u.disabled_at IS NULL AND u.on_duty AND u.phone IS NOT NULL
        ORDER BY (SELECT max(s.created_at) FROM agent_sms s
                   WHERE s.agent_id = u.id AND s.kind = 'alert' AND s.status <> 'held') NULLS FIRST, u.id`,
    )) as AlertableAgent[];
  }
}
