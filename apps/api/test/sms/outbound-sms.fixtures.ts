import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/test-app';
import { eventually } from '../support/eventually';
import { deliver, inboundSms } from '../support/sms-webhooks';

/** An outbound SMS as the thread stores it. */
export interface OutboundSmsRow {
  id: string;
  ticket_id: string;
  body: string;
  status: string;
  provider: string | null;
  provider_message_id: string | null;
  error: string | null;
  payload: { automated?: string; providerParts?: string[] };
}

export interface ReceiptRow {
  provider_message_id: string;
  client_ref: string | null;
  status: string;
  error_code: string | null;
  message_id: string | null;
  params: Record<string, string>;
}

export interface OpenedTicket {
  ticketId: string;
  /** The automated confirmation the new ticket queued. */
  confirmationId: string;
}

/** A first SMS from `phone` (digits, no `+`): opens a ticket, whose confirmation is queued for sending. */
export async function openTicket(
  app: TestApp,
  phone: string,
  overrides: Record<string, string> = {},
): Promise<OpenedTicket> {
  const response = await deliver(
    app.baseUrl,
    '/webhooks/inbound-sms',
    inboundSms({ msisdn: phone, text: 'My parcel never arrived', ...overrides }),
  );
  if (response.status !== 204) throw new Error(`inbound SMS answered ${response.status}`);
  return newTicketOf(app, phone);
}

/** The ticket the first SMS from `phone` opened, and its confirmation. */
export async function newTicketOf(app: TestApp, phone: string): Promise<OpenedTicket> {
  const [row] = await app.db.query<OpenedTicket>(
    `SELECT t.id AS "ticketId", m.id AS "confirmationId"
       FROM tickets t JOIN users u ON u.id = t.customer_id
       JOIN messages m ON m.ticket_id = t.id AND m.direction = 'out' AND m.payload ->> 'automated' = 'confirmation'
      WHERE u.phone = $1`,
    [`+${phone}`],
  );
  if (!row) throw new Error(`no confirmation was queued for +${phone}`);
  return row;
}

/** An agent's reply on the ticket, stored as queued and handed to the send worker, as the agent console does. */
export async function queueAgentReply(app: TestApp, ticketId: string, body: string): Promise<string> {
  const messageId = await insertAgentReply(app, ticketId, body);
  await enqueueSend(app, messageId);
  return messageId;
}

/** An agent's reply stored as queued, not yet handed to the send worker. */
export async function insertAgentReply(app: TestApp, ticketId: string, body: string): Promise<string> {
  const [agent] = await app.db.query<{ id: string }>(
    `INSERT INTO users (role, username, name) VALUES ('agent', $1, 'Sam Agent') RETURNING id`,
    [`agent-${randomUUID()}`],
  );
  const [message] = await app.db.query<{ id: string }>(
    `INSERT INTO messages (ticket_id, direction, author_id, body, status) VALUES ($1, 'out', $2, $3, 'queued')
     RETURNING id`,
    [ticketId, agent!.id, body],
  );
  return message!.id;
}

export async function enqueueSend(app: TestApp, messageId: string): Promise<void> {
  await app.db.query(`SELECT enqueue_job('sms.send', jsonb_build_object('messageId', $1::bigint))`, [
    messageId,
  ]);
}

export async function outboundSms(app: TestApp, messageId: string): Promise<OutboundSmsRow> {
  const [row] = await app.db.query<OutboundSmsRow>(
    `SELECT id, ticket_id, body, status, provider, provider_message_id, error, payload FROM messages WHERE id = $1`,
    [messageId],
  );
  if (!row) throw new Error(`no message ${messageId}`);
  return row;
}

/** Polls the message until `done` holds, then returns it. */
export function outboundSmsOnce(
  app: TestApp,
  messageId: string,
  done: (row: OutboundSmsRow) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<OutboundSmsRow> {
  return eventually(
    async () => {
      const row = await outboundSms(app, messageId);
      return done(row) ? row : undefined;
    },
    `message ${messageId} ${what}`,
    timeoutMs,
  );
}

export function receiptsFor(app: TestApp, providerMessageId: string): Promise<ReceiptRow[]> {
  return app.db.query<ReceiptRow>(
    `SELECT provider_message_id, client_ref, status, error_code, message_id, params
       FROM sms_delivery_receipts WHERE provider_message_id = $1 ORDER BY id`,
    [providerMessageId],
  );
}

/** The pg-boss job that sends this message. */
export async function sendJob(
  app: TestApp,
  messageId: string,
): Promise<{ state: string; retry_count: number; output: unknown } | undefined> {
  const [job] = await app.db.query<{ state: string; retry_count: number; output: unknown }>(
    `SELECT state, retry_count, output FROM pgboss.job WHERE name = 'sms.send' AND data ->> 'messageId' = $1`,
    [messageId],
  );
  return job;
}
