import { HttpStatus, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ErrorCode, type ThreadEntry } from '@switchboard/contracts';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../http/api-exception';
import { JobQueue } from '../../jobs/job-queue';
import { type ReplyAuthor, type ReplyChannel, ReplyChannels } from '../../thread/reply-channels';
import { ThreadService, ticketNotFound } from '../../thread/thread.service';
import { ThreadViews } from '../../thread/thread-views';
import { destinationBlocked } from '../destination-country';
import { SMS_PROVIDER, type SmsProvider } from '../providers/sms-provider';
import { OutboundSmsRepository } from './outbound-sms.repository';
import { SEND_SMS_QUEUE } from './outbound-sms.worker';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Vonage accepts up to 3,200 characters; ten parts is already a lot to read on a phone. */
export const SMS_REPLY_MAX_LENGTH = 1600;

/**
 * Agents' replies on SMS tickets: stored as queued and handed to the send worker in one transaction,
 * then followed live as their status moves. The SMS channel's plug into the thread core.
 */
@Injectable()
export class SmsRepliesService implements ReplyChannel, OnModuleInit {
  readonly channel = 'sms';

  constructor(
    private readonly config: AppConfig,
    private readonly recipients: OutboundSmsRepository,
    private readonly thread: ThreadService,
    private readonly views: ThreadViews,
    private readonly channels: ReplyChannels,
    private readonly jobs: JobQueue,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
  ) {}

  onModuleInit(): void {
    this.channels.register(this);
  }

  /** With `clientId`, a retry of the same reply returns the stored one instead of a second SMS. */
  async reply(ticketId: string, author: ReplyAuthor, body: string, clientId?: string): Promise<ThreadEntry> {
    const { messageId, duplicate } = await this.queue(ticketId, author.agentId, body, clientId);
    return this.entry(ticketId, messageId, !duplicate);
  }

  /** A new SMS with a failed one's text, through the same queue. */
  async resend(ticketId: string, author: ReplyAuthor, messageId: string): Promise<ThreadEntry> {
    const failed = await this.views.failedText(ticketId, messageId);
    if (!failed) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.NotFound,
        `No failed SMS ${messageId} on ticket ${ticketId}`,
      );
    }
    const { messageId: resent } = await this.queue(ticketId, author.agentId, failed.body);
    return this.entry(ticketId, resent, true);
  }

  private async entry(ticketId: string, messageId: string, announce: boolean): Promise<ThreadEntry> {
    const entry = await this.views.entry(messageId);
    if (announce) await this.thread.announce(ticketId, [entry]);
    return entry;
  }

  private async queue(
    ticketId: string,
    authorId: string,
    body: string,
    clientId?: string,
  ): Promise<{ messageId: string; duplicate: boolean }> {
    const text = body.trim();
    if (text.length === 0 || text.length > SMS_REPLY_MAX_LENGTH) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid body', [
        { field: 'body', message: `body must be 1 to ${SMS_REPLY_MAX_LENGTH} characters` },
      ]);
    }
    return this.thread.transaction(async (manager) => {
      const ticket = await this.recipients.lockTicketRecipient(manager, ticketId);
      if (!ticket) throw ticketNotFound(ticketId);
      if (ticket.channel !== 'sms') {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.TicketWrongChannel,
          `Ticket ${ticketId} is not an SMS ticket`,
        );
      }
      if (ticket.optedOutAt) {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.SmsRecipientOptedOut,
          `The customer opted out of SMS (${ticket.optOutSource ?? 'STOP'}) on ${ticket.optedOutAt.toISOString()}: ` +
            'nothing can be texted to them until they text START',
        );
      }
      const blocked = ticket.phone
        ? destinationBlocked(ticket.phone, this.config.sms.allowedCountries)
        : 'no phone number';
      if (blocked) {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.SmsDestinationBlocked,
          blocked.replace(/^Not sent: /, 'Cannot text this customer: '),
        );
      }
      const validClientId = clientId && UUID.test(clientId) ? clientId : undefined;
      const inserted = await this.thread.appendQueuedReply(manager, {
        ticketId,
        authorId,
        body: text,
        provider: this.provider.name,
        ...(validClientId ? { clientId: validClientId } : {}),
      });
      if (!inserted) {
        const original = await this.thread.idByClientId(manager, ticketId, validClientId!);
        return { messageId: original!, duplicate: true };
      }
      await this.jobs.enqueue(manager, SEND_SMS_QUEUE, { messageId: inserted });
      return { messageId: inserted, duplicate: false };
    });
  }
}
