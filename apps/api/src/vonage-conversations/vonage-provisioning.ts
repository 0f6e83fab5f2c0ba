import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CONVERSATIONS_API, type ConversationsApi } from './conversations-api';
import { ConversationBusy, type Lease, withLease } from './vonage-lease';
import { isProvisioned, type ProvisionedLink, VonageLinksRepository } from './vonage-links.repository';

/**
 * Vonage user names are unique per Vonage application, which several deployments may share: each has its
 * own prefix. Derived from our ids, so a retry finds the user an earlier attempt made.
 */
export const customerUserName = (prefix: string, customerId: string) => `${prefix}-customer-${customerId}`;
/** The one Vonage user agent replies and order confirmations are posted as. */
export const deskUserName = (prefix: string) => `${prefix}-desk`;

/** How long an on-demand caller (a chat page opening) waits for another provisioning to finish. */
const WAIT_MS = 5_000;

/**
 * Makes a chat conversation exist at Vonage: the customer's user, the conversation, and the customer
 * and the desk as its members. Each id is stored as soon as Vonage gives it, so a failure part way
 * resumes where it stopped; one caller at a time works on a conversation (the job and an on-demand chat
 * session may race), across instances, under its lease.
 */
@Injectable()
export class VonageProvisioning {
  private readonly logger = new Logger(VonageProvisioning.name);
  private deskUserId?: string;

  constructor(
    @Inject(CONVERSATIONS_API) private readonly provider: ConversationsApi,
    private readonly links: VonageLinksRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Undefined when there is no chat conversation `ticketId`. Throws `ConversationBusy` when another
   * caller kept it busy for longer than a chat page should wait.
   */
  async provision(ticketId: string): Promise<ProvisionedLink | undefined> {
    const known = await this.links.byTicket(ticketId);
    if (!known || isProvisioned(known)) return known as ProvisionedLink | undefined;
    try {
      return await withLease(this.links, ticketId, WAIT_MS, (lease) => this.complete(ticketId, lease));
    } catch (error) {
      // The holder may be a job that provisioned it and is posting to it now.
      const link = error instanceof ConversationBusy ? await this.links.byTicket(ticketId) : undefined;
      if (link && isProvisioned(link)) return link;
      throw error;
    }
  }

  /** Provisions what is missing, for a caller holding the conversation's lease. */
  async complete(ticketId: string, lease: Lease): Promise<ProvisionedLink | undefined> {
    const link = await this.links.byTicket(ticketId);
    if (!link || isProvisioned(link)) return link as ProvisionedLink | undefined;
    const deskUserId = await this.deskUser();
    if (!link.userId) {
      await lease.renew();
      link.userId = await this.provider.ensureUser({
        name: customerUserName(this.prefix, link.customerId),
        displayName: link.customerName,
      });
      await this.links.setUser(link.customerId, link.userId);
    }
    if (!link.conversationId) {
      await lease.renew();
      link.conversationId = await this.provider.createConversation({
        displayName: `${this.config.companyName} order support: ${link.customerName}`,
        reference: ticketId,
      });
      await this.links.setConversation(ticketId, link.conversationId);
    }
    if (!link.memberId) {
      await lease.renew();
      link.memberId = await this.provider.join(link.conversationId, link.userId);
      await this.links.setMembers(ticketId, { memberId: link.memberId });
    }
    if (!link.deskMemberId) {
      await lease.renew();
      link.deskMemberId = await this.provider.join(link.conversationId, deskUserId);
      await this.links.setMembers(ticketId, { deskMemberId: link.deskMemberId });
    }
    this.logger.log(`Conversation ${ticketId} provisioned at Vonage as ${link.conversationId}`);
    return link as ProvisionedLink;
  }

  private get prefix(): string {
    return this.config.conversations!.userPrefix;
  }

  /** Found by its name (created the first time): one call per process. */
  private async deskUser(): Promise<string> {
    this.deskUserId ??= await this.provider.ensureUser({
      name: deskUserName(this.prefix),
      displayName: `${this.config.companyName} Support`,
    });
    return this.deskUserId;
  }
}
