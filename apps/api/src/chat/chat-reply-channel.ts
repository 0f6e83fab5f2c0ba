import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ThreadEntry } from '@switchboard/contracts';
import { type ReplyAuthor, type ReplyChannel, ReplyChannels } from '../thread/reply-channels';
import { ThreadViews } from '../thread/thread-views';
import { ChatService } from './chat.service';

/** Agents' replies on chat tickets, from the console: into the conversation, live to the customer. */
@Injectable()
export class ChatReplyChannel implements ReplyChannel, OnModuleInit {
  readonly channel = 'chat';

  constructor(
    private readonly chat: ChatService,
    private readonly views: ThreadViews,
    private readonly channels: ReplyChannels,
  ) {}

  onModuleInit(): void {
    this.channels.register(this);
  }

  async reply(ticketId: string, author: ReplyAuthor, body: string, clientId?: string): Promise<ThreadEntry> {
    const { message } = await this.chat.replyAsAgent(author.agentId, {
      conversationId: ticketId,
      clientId: clientId ?? randomUUID(),
      body,
    });
    return this.views.entry(message.id);
  }
}
