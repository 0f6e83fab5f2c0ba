import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ThreadService } from '../thread/thread.service';
import { ChatProvider } from './chat-provider';

/** An event the customer sees in their chat, about one of their orders. */
export interface OrderConversationEvent {
  orderId: string;
  /** The line people read: "1 × Widget ($4.99) — total $4.99". */
  text: string;
  /** Everything the chat page needs to draw the order card (`type: 'order-confirm'`, items, total…). */
  payload: Record<string, unknown>;
}

/**
 * The customer's chat conversation as other modules use it, in their own transaction: opened with the
 * customer, told about their orders. With an external chat provider, the provider hears of both from
 * the outbox (after the commit, with retries).
 */
@Injectable()
export class ChatConversations {
  constructor(
    private readonly thread: ThreadService,
    private readonly provider: ChatProvider,
  ) {}

  /** The customer's conversation (one each), created `pending` the first time. */
  async open(manager: EntityManager, customerId: string): Promise<string> {
    const { id } = await this.thread.openConversation(manager, customerId);
    await this.provider.conversationOpened(manager, id);
    return id;
  }

  /** The order's event in the conversation, which from now on is about this order. */
  async recordOrder(
    manager: EntityManager,
    conversationId: string,
    order: OrderConversationEvent,
  ): Promise<string> {
    const eventId = await this.thread.appendEvent(manager, {
      ticketId: conversationId,
      direction: 'out',
      authorId: null,
      body: order.text,
      payload: order.payload,
    });
    await this.thread.setOrder(manager, conversationId, order.orderId);
    await this.provider.messageRecorded(manager, eventId);
    return eventId;
  }
}
