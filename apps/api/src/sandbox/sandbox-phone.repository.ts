import { Injectable } from '@nestjs/common';
import type { SandboxPhoneMessage } from '@switchboard/contracts';
import { DataSource } from 'typeorm';

@Injectable()
export class SandboxPhoneRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The SMS a phone sent and received, oldest first (the latest `limit`): its SMS tickets' texts, and
   * what went to it as an agent's mobile (codes, chat alerts; ids `agent-sms-<id>`).
   */
  async conversation(phone: string, limit = 200): Promise<SandboxPhoneMessage[]> {
    return (await this.dataSource.query(
      `SELECT id, "ticketId", direction, body, status, error,
              to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
         FROM (
           (SELECT m.id::text AS id, m.ticket_id::text AS "ticketId", m.direction, m.body, m.status, m.error,
                   m.created_at AS at
              FROM messages m
              JOIN tickets t ON t.id = m.ticket_id
              JOIN users u ON u.id = t.customer_id
             WHERE u.phone = $1 AND t.channel = 'sms' AND m.kind = 'text'
             ORDER BY m.id DESC LIMIT $2)
           UNION ALL
           (SELECT 'agent-sms-' || s.id, s.ticket_id::text, 'out', s.body, s.status, s.error, s.created_at
              FROM agent_sms s
             WHERE s.phone = $1 AND s.status <> 'held'
             ORDER BY s.id DESC LIMIT $2)
           ORDER BY at DESC LIMIT $2
         ) latest
        ORDER BY at, id`,
      [phone, limit],
    )) as SandboxPhoneMessage[];
  }
}
