import { Injectable } from '@nestjs/common';
import type { ChatMessage } from '@switchboard/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { authored, CHAT_MESSAGE_COLUMNS } from './thread-views';

/** A text someone writes into a ticket's thread. */
export interface NewText {
  ticketId: string;
  direction: 'in' | 'out';
  authorId: string;
  /** The client's id for it: the same id again is a resend, never a second message. */
  clientId: string;
  body: string;
}

/** Something that happened in a ticket, shown in its thread: a status change, an order, a call… */
export interface NewEvent {
  ticketId: string;
  /** `in`: caused by the customer; `out`: by us (an agent, the system). */
  direction: 'in' | 'out';
  authorId: string | null;
  /** A line for people, where the event has one (an order confirmation's text). */
  body?: string;
  payload: Record<string, unknown>;
}

/** $1–$6 of both inserts of a text: ticket, direction, author, body, client id, status. */
const textValues = (text: NewText) => [
  text.ticketId,
  text.direction,
  text.authorId,
  text.body,
  text.clientId,
  text.direction === 'in' ? 'received' : 'sent',
];

const isId = (id: string) => /^\d{1,18}$/.test(id);

/**
 * The rows of `messages` (texts and events): the only TypeScript that inserts them. Each gets the next
 * `seq` of its ticket from the table's trigger, which also moves the ticket's `last_seq`.
 */
@Injectable()
export class ThreadMessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The common case of a chat message as one statement, so one round trip and its own transaction:
   * lock the conversation, store the message, read it back with its author. Only into a conversation
   * that is open, or any for an agent (whose reply changes no status). Undefined when that is not the
   * case, or the client id was used before (a resend): the caller then takes the general path.
   */
  async appendToOpenConversation(text: NewText): Promise<ChatMessage | undefined> {
    if (!isId(text.ticketId)) return undefined;
    const [row] = (await this.dataSource.query(
      `WITH conversation AS (
         SELECT id FROM tickets
          WHERE id = $1 AND channel = 'chat' AND (status = 'open' OR $2 = 'out')
            -- A resend goes to the general path untouched: the insert's trigger would take a seq first.
            AND NOT EXISTS (SELECT 1 FROM messages WHERE ticket_id = $1 AND client_id = $5)
          FOR UPDATE
       ), stored AS (
         INSERT INTO messages (ticket_id, direction, author_id, kind, body, client_id, status)
         SELECT id, $2, $3, 'text', $4, $5, $6 FROM conversation
         ON CONFLICT (ticket_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
         RETURNING *
       )
       SELECT ${CHAT_MESSAGE_COLUMNS} FROM stored m LEFT JOIN users u ON u.id = m.author_id`,
      textValues(text),
    )) as Parameters<typeof authored<ChatMessage>>[0][];
    return row ? authored<ChatMessage>(row) : undefined;
  }

  /** Undefined when this client id was already used in the ticket (a resend). */
  async appendText(manager: EntityManager, text: NewText): Promise<string | undefined> {
    const [row] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, kind, body, client_id, status)
       VALUES ($1, $2, $3, 'text', $4, $5, $6)
       ON CONFLICT (ticket_id, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id::text`,
      textValues(text),
    )) as { id: string }[];
    return row?.id;
  }

  /**
   * An agent's reply that a channel still has to send (an SMS): stored `queued` with the provider that
   * will take it. Undefined when this client id was already used on the ticket (a retried reply).
   */
  async appendQueuedReply(
    manager: EntityManager,
    reply: { ticketId: string; authorId: string; body: string; provider: string; clientId?: string },
  ): Promise<string | undefined> {
    const [row] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, body, provider, status, client_id)
       VALUES ($1, 'out', $2, $3, $4, 'queued', $5)
       ON CONFLICT (ticket_id, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id::text`,
      [reply.ticketId, reply.authorId, reply.body, reply.provider, reply.clientId ?? null],
    )) as { id: string }[];
    return row?.id;
  }

  async idByClientId(
    manager: EntityManager,
    ticketId: string,
    clientId: string,
  ): Promise<string | undefined> {
    const [row] = (await manager.query(
      `SELECT id::text FROM messages WHERE ticket_id = $1 AND client_id = $2`,
      [ticketId, clientId],
    )) as { id: string }[];
    return row?.id;
  }

  /**
   * A customer's message or event that reached us through an external provider. Undefined when this
   * provider message is stored already (a retried webhook): `messages_provider_message_unique` decides.
   */
  async appendFromProvider(
    manager: EntityManager,
    message: {
      ticketId: string;
      authorId: string;
      kind: 'text' | 'event';
      body: string;
      payload: Record<string, unknown>;
      provider: string;
      providerMessageId: string;
    },
  ): Promise<string | undefined> {
    const [row] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, kind, body, payload, provider, provider_message_id, status)
       VALUES ($1, 'in', $2, $3, $4, $5, $6, $7, CASE WHEN $3 = 'text' THEN 'received' END)
       ON CONFLICT ON CONSTRAINT messages_provider_message_unique DO NOTHING RETURNING id::text`,
      [
        message.ticketId,
        message.authorId,
        message.kind,
        message.body,
        message.payload,
        message.provider,
        message.providerMessageId,
      ],
    )) as { id: string }[];
    return row?.id;
  }

  async appendEvent(manager: EntityManager, event: NewEvent): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO messages (ticket_id, direction, author_id, kind, body, payload)
       VALUES ($1, $2, $3, 'event', COALESCE($4, ''), $5) RETURNING id::text`,
      [event.ticketId, event.direction, event.authorId, event.body ?? null, event.payload],
    )) as { id: string }[];
    return row!.id;
  }
}
