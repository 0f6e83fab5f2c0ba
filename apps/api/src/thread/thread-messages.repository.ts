import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ChatMessage } from '@switchboard/contracts';
import { Pool, type PoolConfig } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { MicroBatcher } from '../database/micro-batcher';
import { Metrics } from '../metrics/metrics';
import { type Authored, authored, CHAT_MESSAGE_COLUMNS } from './thread-views';

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
  /** Agents only: never shown or sent to the customer. */
  internal?: boolean;
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
 * Chat texts into open conversations, any number in one statement (the batcher below gathers the
 * messages sent at the same moment): lock their conversations (in id order, so two batches never wait
 * for each other in a circle), store each text whose conversation takes it in the order given (the
 * seq trigger numbers them in that order), and return the stored rows with their positions in the
 * input (1-based). A text into a conversation that is not open (a customer's: it reopens it) or whose
 * client id was used (a resend: the insert's trigger would take a seq even for a conflict) is left
 * out, and its caller takes the general path.
 *
 * It runs on a connection of its own with generic plans (`APPEND_SESSION`): as a prepared statement
 * PostgreSQL would plan it afresh on most calls (custom plans for each array of ids), which costs more
 * than running it. (It was a PL/pgSQL function with a fixed plan before; the function call itself cost
 * a quarter of a millisecond more per batch than the statement: docs/benchmarks.md.) A plan made once
 * must suit any statistics, including none yet (a new desk): the conversations are found by their ids
 * alone and their channel checked after, since `channel = 'chat'` in that lookup matches the partial
 * index of chat conversations, which a planner that thinks few tickets are chats reads whole.
 */
const APPEND_OPEN_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::uuid[])
                  WITH ORDINALITY AS i(ticket_id, direction, author_id, body, client_id, ord)
  ), conversation AS (
    SELECT t.id, t.status, t.channel FROM tickets t
     WHERE t.id = ANY ($1::bigint[])
     ORDER BY t.id
       FOR UPDATE
  ), m AS (
    INSERT INTO messages AS m (ticket_id, direction, author_id, kind, body, client_id, status)
    SELECT i.ticket_id, i.direction, i.author_id, 'text', i.body, i.client_id,
           CASE i.direction WHEN 'in' THEN 'received' ELSE 'sent' END
      FROM input i JOIN conversation c ON c.id = i.ticket_id AND c.channel = 'chat'
     WHERE (c.status = 'open' OR i.direction = 'out')
       AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.ticket_id = i.ticket_id AND e.client_id = i.client_id)
     ORDER BY i.ord
        ON CONFLICT (ticket_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
    RETURNING m.*
  )
  SELECT i.ord, ${CHAT_MESSAGE_COLUMNS}
    FROM m JOIN input i ON i.ticket_id = m.ticket_id AND i.client_id = m.client_id
    LEFT JOIN users u ON u.id = m.author_id`;

/**
 * The batches' connection: every batch waits for the one before it, so it gives up on a conversation
 * locked for longer than 500 ms (lock_not_available), and its statement keeps one plan.
 */
const LOCK_TIMEOUT = `'500ms'`;
const APPEND_SESSION = `SET plan_cache_mode = force_generic_plan; SET lock_timeout = ${LOCK_TIMEOUT}`;

/** PostgreSQL's error code for a lock not granted within `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';

/** Chat texts stored in one statement at most; more wait for the next. */
const MAX_APPEND_BATCH = 64;

/**
 * The rows of `messages` (texts and events): the only TypeScript that inserts them. Each gets the next
 * `seq` of its ticket from the table's trigger, which also moves the ticket's `last_seq`.
 */
@Injectable()
export class ThreadMessagesRepository implements OnApplicationShutdown {
  private readonly logger = new Logger(ThreadMessagesRepository.name);
  private readonly pool: Pool;
  /** One connection for the batches of chat texts, which run one at a time (`APPEND_SESSION`). */
  private readonly appendPool: Pool;
  private readonly openConversations: MicroBatcher<NewText, ChatMessage | undefined>;

  constructor(dataSource: DataSource, metrics: Metrics) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.appendPool = new Pool({
      // The data source's own connection settings (URL, TLS, timeouts), for a connection of its own.
      ...(this.pool as unknown as { options: PoolConfig }).options,
      max: 1,
      application_name: 'switchboard-chat',
      // Set on each new connection before it is used, rather than as startup options: an `options`
      // parameter in DATABASE_URL would replace those, and without the lock timeout one long
      // transaction would hold up every chat message. A connection that fails it fails its batch.
      onConnect: async (client) => {
        await client.query(APPEND_SESSION);
      },
    });
    // An idle connection the database dropped (a restart): the next batch opens a new one.
    this.appendPool.on('error', (error) => this.logger.warn(`Chat connection lost: ${error.message}`));
    this.openConversations = new MicroBatcher({
      runBatch: (texts) => this.appendToOpenConversations(this.appendPool, texts),
      // Off the batches' connection: a text that waits for its conversation must not hold them up.
      runOne: async (text) => {
        const client = await this.pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`SET LOCAL lock_timeout = ${LOCK_TIMEOUT}`);
          const [message] = await this.appendToOpenConversations(client, [text]);
          await client.query('COMMIT');
          return message;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          // Its conversation stayed locked (a long transaction): the general path waits for it.
          if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return undefined;
          throw error;
        } finally {
          client.release();
        }
      },
      maxBatch: MAX_APPEND_BATCH,
      keyOf: (text) => text.ticketId,
      onBatch: (size) => metrics.chatSendBatchSize.observe(size),
      onBatchError: (error, size) =>
        this.logger.warn(
          `A batch of ${size} chat messages failed, storing them one by one: ${String(error)}`,
        ),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.appendPool.end();
  }

  /**
   * The common case of a chat message: into a conversation that is open, or any for an agent (whose
   * reply changes no status), and not a resend. Messages sent at the same time from any conversations
   * are stored together (see `APPEND_OPEN_SQL`): one statement, one commit. Undefined when that is not
   * the case: the caller then takes the general path.
   */
  appendToOpenConversation(text: NewText): Promise<ChatMessage | undefined> {
    if (!isId(text.ticketId)) return Promise.resolve(undefined);
    return this.openConversations.run(text);
  }

  /** One result per text, in order: the stored message, or undefined for the general path. */
  private async appendToOpenConversations(
    db: Pick<Pool, 'query'>,
    texts: NewText[],
  ): Promise<(ChatMessage | undefined)[]> {
    // The same client id twice in one batch (a fast resend): the later one goes to the general path,
    // after this batch committed, and finds the first.
    const seen = new Set<string>();
    const batch = texts.map((text) => {
      const key = `${BigInt(text.ticketId)} ${text.clientId.toLowerCase()}`;
      const first = !seen.has(key);
      seen.add(key);
      return first;
    });
    const items = texts.filter((_, i) => batch[i]);
    const { rows } = await db.query<Authored<ChatMessage> & { ord: string }>({
      name: 'chat_append_open',
      text: APPEND_OPEN_SQL,
      values: [
        items.map((text) => text.ticketId),
        items.map((text) => text.direction),
        items.map((text) => text.authorId),
        items.map((text) => text.body),
        items.map((text) => text.clientId),
      ],
    });
    const stored = new Array<ChatMessage | undefined>(items.length);
    for (const { ord, ...row } of rows) stored[Number(ord) - 1] = authored<ChatMessage>(row);
    let next = 0;
    return texts.map((_, i) => (batch[i] ? stored[next++] : undefined));
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
      `INSERT INTO messages (ticket_id, direction, author_id, kind, body, payload, internal)
       VALUES ($1, $2, $3, 'event', COALESCE($4, ''), $5, $6) RETURNING id::text`,
      [
        event.ticketId,
        event.direction,
        event.authorId,
        event.body ?? null,
        event.payload,
        event.internal ?? false,
      ],
    )) as { id: string }[];
    return row!.id;
  }
}
