import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Where one of our chat conversations lives at Vonage; unset parts are not provisioned yet. */
export interface VonageLink {
  ticketId: string;
  customerId: string;
  customerName: string;
  userId: string | null;
  conversationId: string | null;
  memberId: string | null;
  deskMemberId: string | null;
}

export type ProvisionedLink = { [K in keyof VonageLink]: NonNullable<VonageLink[K]> };

/** A message of ours that goes to the Vonage conversation (agent replies, order confirmations). */
export interface OutboundMessage {
  id: string;
  ticketId: string;
  kind: 'text' | 'event';
  body: string;
  payload: Record<string, unknown>;
  /** Set once posted: `<conversation>:<event id>`. */
  providerMessageId: string | null;
}

/** Mirrored events and our posted ones share this provider name on `messages`. */
export const VONAGE_CONVERSATIONS_PROVIDER = 'vonage-conversations';

export function isProvisioned(link: VonageLink): link is ProvisionedLink {
  return Boolean(link.userId && link.conversationId && link.memberId && link.deskMemberId);
}

const LINK_COLUMNS = `
  t.id::text AS "ticketId", t.customer_id::text AS "customerId",
  COALESCE(u.name, u.username, 'Customer') AS "customerName", vu.user_id AS "userId",
  v.conversation_id AS "conversationId", v.member_id AS "memberId", v.desk_member_id AS "deskMemberId"`;

/** A chat ticket with its customer and whatever Vonage ids they have so far. */
const LINKS = `
  tickets t JOIN users u ON u.id = t.customer_id
  LEFT JOIN vonage_conversations v ON v.ticket_id = t.id
  LEFT JOIN vonage_users vu ON vu.customer_id = t.customer_id`;

/**
 * The Vonage ids of customers and chat conversations (`vonage_users`, `vonage_conversations`: this
 * module's tables), the lease on a conversation, and what is waiting to be posted.
 */
@Injectable()
export class VonageLinksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async byTicket(ticketId: string): Promise<VonageLink | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT ${LINK_COLUMNS} FROM ${LINKS} WHERE t.id = $1 AND t.channel = 'chat'`,
      [ticketId],
    )) as VonageLink[];
    return row;
  }

  async byVonageConversation(conversationId: string): Promise<VonageLink | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT ${LINK_COLUMNS} FROM ${LINKS} WHERE v.conversation_id = $1`,
      [conversationId],
    )) as VonageLink[];
    return row;
  }

  /**
   * Claims the conversation's Vonage lease for `holder` until `seconds` from now, or extends it while it
   * is still theirs. False while someone else's lease runs.
   */
  async claimLease(ticketId: string, holder: string, seconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH claimed AS (
         INSERT INTO vonage_conversations AS v (ticket_id, lease_holder, lease_until)
         VALUES ($1, $2, now() + $3 * interval '1 second')
         ON CONFLICT (ticket_id) DO UPDATE SET lease_holder = $2, lease_until = now() + $3 * interval '1 second'
          WHERE v.lease_holder = $2 OR v.lease_until IS NULL OR v.lease_until < now()
         RETURNING ticket_id
       ) SELECT ticket_id FROM claimed`,
      [ticketId, holder, seconds],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Extends `holder`'s lease; false when it lapsed and someone else took it, or it was released. */
  async renewLease(ticketId: string, holder: string, seconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH renewed AS (
         UPDATE vonage_conversations SET lease_until = now() + $3 * interval '1 second'
          WHERE ticket_id = $1 AND lease_holder = $2
         RETURNING ticket_id
       ) SELECT ticket_id FROM renewed`,
      [ticketId, holder, seconds],
    )) as unknown[];
    return rows.length > 0;
  }

  async releaseLease(ticketId: string, holder: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE vonage_conversations SET lease_holder = NULL, lease_until = NULL
        WHERE ticket_id = $1 AND lease_holder = $2`,
      [ticketId, holder],
    );
  }

  async setUser(customerId: string, userId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO vonage_users (customer_id, user_id) VALUES ($1, $2)
       ON CONFLICT (customer_id) DO UPDATE SET user_id = $2`,
      [customerId, userId],
    );
  }

  async setConversation(ticketId: string, conversationId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO vonage_conversations (ticket_id, conversation_id) VALUES ($1, $2)
       ON CONFLICT (ticket_id) DO UPDATE SET conversation_id = $2`,
      [ticketId, conversationId],
    );
  }

  async setMembers(ticketId: string, members: { memberId?: string; deskMemberId?: string }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO vonage_conversations (ticket_id, member_id, desk_member_id) VALUES ($1, $2, $3)
       ON CONFLICT (ticket_id) DO UPDATE SET member_id = COALESCE($2, vonage_conversations.member_id),
              desk_member_id = COALESCE($3, vonage_conversations.desk_member_id)`,
      [ticketId, members.memberId ?? null, members.deskMemberId ?? null],
    );
  }

  async outboundMessage(messageId: string): Promise<OutboundMessage | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT id::text, ticket_id::text AS "ticketId", kind, body, payload,
              CASE WHEN provider = $2 THEN provider_message_id END AS "providerMessageId"
         FROM messages WHERE id = $1`,
      [messageId, VONAGE_CONVERSATIONS_PROVIDER],
    )) as OutboundMessage[];
    return row;
  }

  /** The conversation's oldest message still waiting to be posted to Vonage (flagged by the outbox). */
  async nextUnposted(ticketId: string): Promise<OutboundMessage | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT id::text, ticket_id::text AS "ticketId", kind, body, payload, provider_message_id AS "providerMessageId"
         FROM messages
        WHERE ticket_id = $1 AND provider = $2 AND provider_message_id IS NULL AND error IS NULL
        ORDER BY seq LIMIT 1`,
      [ticketId, VONAGE_CONVERSATIONS_PROVIDER],
    )) as OutboundMessage[];
    return row;
  }
}
