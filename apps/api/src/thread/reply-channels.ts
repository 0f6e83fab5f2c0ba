import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, type ThreadEntry } from '@switchboard/contracts';
import { ApiException } from '../http/api-exception';

/** The agent a reply goes out for. */
export interface ReplyAuthor {
  agentId: string;
  name: string;
}

/**
 * How a channel (SMS, chat, later voice and email) sends an agent's reply to the customer on the
 * ticket's own channel. Each channel registers one with `ReplyChannels`; the thread core and the
 * console know them only through this port.
 */
export interface ReplyChannel {
  /** The `tickets.channel` it serves. */
  readonly channel: string;
  /**
   * Stores the reply in the thread (with `clientId`, a retry returns the stored one), hands it to the
   * channel's provider, announces it, and returns it as the console shows it.
   */
  reply(ticketId: string, author: ReplyAuthor, body: string, clientId?: string): Promise<ThreadEntry>;
  /** Sends a failed reply again, as a new message; absent where the channel cannot. */
  resend?(ticketId: string, author: ReplyAuthor, messageId: string): Promise<ThreadEntry>;
}

/** The channels that registered, by `tickets.channel`. Adding a channel changes nothing here. */
@Injectable()
export class ReplyChannels {
  private readonly channels = new Map<string, ReplyChannel>();

  register(channel: ReplyChannel): void {
    if (this.channels.has(channel.channel))
      throw new Error(`Reply channel ${channel.channel} registered twice`);
    this.channels.set(channel.channel, channel);
  }

  /** The channel of a ticket; 409 when nothing can reply on it. */
  of(ticket: { id: string; channel: string }): ReplyChannel {
    const channel = this.channels.get(ticket.channel);
    if (!channel) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.TicketWrongChannel,
        `Nothing can reply on ticket ${ticket.id}'s channel (${ticket.channel})`,
      );
    }
    return channel;
  }
}
