import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RenderedEmail } from './providers/email-provider';

export interface QueuedEmail {
  orderId: string | null;
  toEmail: string;
  toName: string | null;
  template: string;
  params: Record<string, string>;
  provider: string;
}

export interface EmailToSend extends QueuedEmail {
  id: string;
  status: 'queued' | 'sent' | 'failed';
}

export interface MailboxEmail {
  id: string;
  orderId: string | null;
  to: string;
  toName: string | null;
  subject: string;
  html: string;
  text: string;
  createdAt: string;
}

/** The transactional emails we send (`emails`): what, to whom, and how it went. */
@Injectable()
export class EmailsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertQueued(manager: EntityManager, email: QueuedEmail): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO emails (order_id, to_email, to_name, template, params, provider)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [email.orderId, email.toEmail, email.toName, email.template, email.params, email.provider],
    )) as { id: string }[];
    return row!.id;
  }

  async find(id: string): Promise<EmailToSend | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT id, order_id AS "orderId", to_email AS "toEmail", to_name AS "toName", template, params, provider, status
         FROM emails WHERE id = $1`,
      [id],
    )) as EmailToSend[];
    return row;
  }

  async markSent(id: string, providerMessageId: string, copy?: RenderedEmail): Promise<void> {
    await this.dataSource.query(
      `UPDATE emails SET status = 'sent', provider_message_id = $2, error = NULL, attempts = attempts + 1,
              subject = $3, html = $4, text_body = $5, sent_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'queued'`,
      [id, providerMessageId, copy?.subject ?? null, copy?.html ?? null, copy?.text ?? null],
    );
  }

  async noteRetry(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE emails SET error = $2, attempts = attempts + 1, updated_at = now() WHERE id = $1`,
      [id, error],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE emails SET status = 'failed', error = $2, attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND status = 'queued'`,
      [id, error],
    );
  }

  async latestByOrder(
    orderIds: string[],
  ): Promise<
    Map<
      string,
      { status: 'queued' | 'sent' | 'failed'; error: string | null; providerMessageId: string | null }
    >
  > {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (order_id) order_id::text AS "orderId", status, error,
              provider_message_id AS "providerMessageId"
         FROM emails WHERE order_id = ANY($1::bigint[]) ORDER BY order_id, id DESC`,
      [orderIds],
    )) as {
      orderId: string;
      status: 'queued' | 'sent' | 'failed';
      error: string | null;
      providerMessageId: string | null;
    }[];
    return new Map(rows.map(({ orderId, ...outcome }) => [orderId, outcome]));
  }

  /** What the sandbox mailbox shows, newest first. */
  async mailbox(limit = 100): Promise<MailboxEmail[]> {
    return (await this.dataSource.query(
      `SELECT id::text, order_id::text AS "orderId", to_email AS "to", to_name AS "toName", subject, html,
              text_body AS text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
         FROM emails WHERE provider = 'sandbox' AND status = 'sent' ORDER BY id DESC LIMIT $1`,
      [limit],
    )) as MailboxEmail[];
  }
}
