import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ApiException } from '../../http/api-exception';
import { JobQueue } from '../../jobs/job-queue';
import { SMS_PROVIDER, type SmsProvider } from '../providers/sms-provider';
import { OutboundSmsRepository } from './outbound-sms.repository';
import { SEND_SMS_QUEUE } from './outbound-sms.worker';
import { AppConfig } from '../../config/app-config';
import { destinationBlocked } from '../destination-country';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Vonage accepts up to 3,200 characters; ten parts is already a lot to read on a phone. */
export const SMS_REPLY_MAX_LENGTH = 1600;

/** An agent's reply on an SMS ticket: stored as queued and handed to the send worker in one transaction. */
@Injectable()
export class SmsRepliesService {
  constructor(
    private readonly config: AppConfig,
    private readonly messages: OutboundSmsRepository,
    private readonly jobs: JobQueue,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
  ) {}

  /** With `clientId`, a retry of the same reply returns the stored one (`duplicate`) instead of a second SMS. */
  async queue(
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
    return this.messages.transaction(async (manager) => {
      const ticket = await this.messages.lockTicketRecipient(manager, ticketId);
      if (!ticket)
        throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.TicketNotFound, `No ticket ${ticketId}`);
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
      const inserted = await this.messages.insertQueued(
        manager,
        ticketId,
        authorId,
        text,
        this.provider.name,
        validClientId,
      );
      if (!inserted) {
        return {
          messageId: await this.messages.byClientId(manager, ticketId, validClientId!),
          duplicate: true,
        };
      }
      await this.jobs.enqueue(manager, SEND_SMS_QUEUE, { messageId: inserted });
      return { messageId: inserted, duplicate: false };
    });
  }
}
