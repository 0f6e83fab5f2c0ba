import { Injectable } from '@nestjs/common';
import type { SandboxPhoneMessage } from '@switchboard/contracts';
import { DataSource } from 'typeorm';

@Injectable()
export class SandboxPhoneRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The SMS a phone sent and received, oldest first (the latest `limit`). */
  async conversation(phone: string, limit = 200): Promise<SandboxPhoneMessage[]> {
    return (await this.dataSource.query(
      `SELECT * FROM (
         SELECT m.id::text AS id, m.ticket_id::text AS "ticketId", m.direction, m.body, m.status, m.error,
                to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
           FROM messages m
           JOIN tickets t ON t.id = m.ticket_id
           JOIN users u ON u.id = t.customer_id
          WHERE u.phone = $1 AND t.channel = 'sms' AND m.kind = 'text'
          ORDER BY m.id DESC LIMIT $2
       ) latest ORDER BY id::bigint`,
      [phone, limit],
    )) as SandboxPhoneMessage[];
  }
}
