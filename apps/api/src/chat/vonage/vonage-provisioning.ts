import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { CONVERSATION_PROVIDER, type ConversationProvider } from '../providers/conversation-provider';
import { isProvisioned, type ProvisionedLink, VonageLinksRepository } from './vonage-links.repository';

/** The Vonage user of a customer: derived from our id, so a retry finds the one an earlier attempt made. */
export const customerUserName = (customerId: string) => `switchboard-customer-${customerId}`;
/** The one Vonage user agent replies and order confirmations are posted as. */
export const DESK_USER_NAME = 'switchboard-desk';

/**
 * Makes a chat conversation exist at Vonage: the customer's user, the conversation, and the customer
 * and the desk as its members. Each id is stored as soon as Vonage gives it, so a failure part way
 * resumes where it stopped; one conversation is provisioned by one caller at a time (the job and an
 * on-demand chat session may race), across instances.
 */
@Injectable()
export class VonageProvisioning {
  private readonly logger = new Logger(VonageProvisioning.name);
  private deskUserId?: string;

  constructor(
    @Inject(CONVERSATION_PROVIDER) private readonly provider: ConversationProvider,
    private readonly links: VonageLinksRepository,
    private readonly config: AppConfig,
  ) {}

  /** Undefined when there is no chat conversation `ticketId`. */
  async provision(ticketId: string): Promise<ProvisionedLink | undefined> {
    const known = await this.links.byTicket(ticketId);
    if (!known || isProvisioned(known)) return known as ProvisionedLink | undefined;
    return this.links.exclusively(`vonage-provision:${ticketId}`, async () => {
      const link = (await this.links.byTicket(ticketId))!;
      if (isProvisioned(link)) return link;
      const deskUserId = await this.deskUser();
      if (!link.userId) {
        link.userId = await this.provider.ensureUser({
          name: customerUserName(link.customerId),
          displayName: link.customerName,
        });
        await this.links.setUser(link.customerId, link.userId);
      }
      if (!link.conversationId) {
        link.conversationId = await this.provider.createConversation({
          displayName: `${this.config.companyName} order support: ${link.customerName}`,
          reference: ticketId,
        });
        await this.links.setConversation(ticketId, link.conversationId);
      }
      if (!link.memberId) {
        link.memberId = await this.provider.join(link.conversationId, link.userId);
        await this.links.setMembers(ticketId, { memberId: link.memberId });
      }
      if (!link.deskMemberId) {
        link.deskMemberId = await this.provider.join(link.conversationId, deskUserId);
        await this.links.setMembers(ticketId, { deskMemberId: link.deskMemberId });
      }
      this.logger.log(`Conversation ${ticketId} provisioned at Vonage as ${link.conversationId}`);
      return link as ProvisionedLink;
    });
  }

  /** Found by its name (created the first time): one call per process. */
  private async deskUser(): Promise<string> {
    this.deskUserId ??= await this.provider.ensureUser({
      name: DESK_USER_NAME,
      displayName: `${this.config.companyName} Support`,
    });
    return this.deskUserId;
  }
}
