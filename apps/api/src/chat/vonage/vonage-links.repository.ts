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
  COALESCE(u.name, u.username, 'Customer') AS "customerName", u.vonage_user_id AS "userId",
  t.vonage_conversation_id AS "conversationId", t.vonage_member_id AS "memberId",
  t.vonage_desk_member_id AS "deskMemberId"`;

/** The Vonage ids of customers and chat conversations, and the posting state of outbound messages. */
@Injectable()
export class VonageLinksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async byTicket(ticketId: string): Promise<VonageLink | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT ${LINK_COLUMNS} FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.id = $1 AND t.channel = 'chat'`,
      [ticketId],
    )) as VonageLink[];
    return row;
  }

  async byVonageConversation(conversationId: string): Promise<VonageLink | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT ${LINK_COLUMNS} FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.vonage_conversation_id = $1`,
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
         UPDATE tickets SET vonage_lease_holder = $2, vonage_lease_until = now() + $3 * interval '1 second'
          WHERE id = $1 AND (vonage_lease_holder = $2 OR vonage_lease_until IS NULL OR vonage_lease_until < now())
         RETURNING id
       ) SELECT id FROM claimed`,
      [ticketId, holder, seconds],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Extends `holder`'s lease; false when it lapsed and someone else took it, or it was released. */
  async renewLease(ticketId: string, holder: string, seconds: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH renewed AS (
         UPDATE tickets SET vonage_lease_until = now() + $3 * interval '1 second'
          WHERE id = $1 AND vonage_lease_holder = $2
         RETURNING id
       ) SELECT id FROM renewed`,
      [ticketId, holder, seconds],
    )) as unknown[];
    return rows.length > 0;
  }

  async releaseLease(ticketId: string, holder: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE tickets SET vonage_lease_holder = NULL, vonage_lease_until = NULL
        WHERE id = $1 AND vonage_lease_holder = $2`,
      [ticketId, holder],
    );
  }

  async setUser(customerId: string, userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE users SET vonage_user_id = $2, updated_at = now() WHERE id = $1`, [
      customerId,
      userId,
    ]);
  }

  async setConversation(ticketId: string, conversationId: string): Promise<void> {
    await this.dataSource.query(`UPDATE tickets SET vonage_conversation_id = $2 WHERE id = $1`, [
      ticketId,
      conversationId,
    ]);
  }

  async setMembers(ticketId: string, members: { memberId?: string; deskMemberId?: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE tickets SET vonage_member_id = COALESCE($2, vonage_member_id),
              vonage_desk_member_id = COALESCE($3, vonage_desk_member_id)
        WHERE id = $1`,
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
