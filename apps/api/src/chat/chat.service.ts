import { HttpStatus, Injectable } from '@nestjs/common';
import {
  CHAT_MESSAGE_MAX_LENGTH,
  type ChatMessage,
  type ConversationView,
  ErrorCode,
} from '@switchboard/contracts';
import type { Principal } from '../auth/access-tokens';
import { storableText } from '../database/storable-text';
import { ApiException } from '../http/api-exception';
import { Realtime } from '../realtime/realtime';
import { type ConversationRow, ConversationsRepository } from './conversations.repository';
import { ConversationOutbox } from './providers/conversation-outbox';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CATCH_UP_LIMIT = 500;
/** `seq` is a PostgreSQL int: a number past it would fail the query. */
export const MAX_SEQ = 2_147_483_647;

/** Whether a client's number can be a message's `seq`. */
export function isSeq(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_SEQ;
}

export interface SendMessage {
  conversationId: string;
  clientId: string;
  body: string;
}

/**
 * The rules of the chat, for the socket gateway and the REST routes alike: a customer reaches only
 * their own conversation, agents reach any; a message is stored before anyone is told about it, gets
 * the conversation's next `seq`, and a resend with the same client id returns the stored one.
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly fanout: Realtime,
    private readonly outbox: ConversationOutbox,
  ) {}

  async authorize(principal: Principal, conversationId: string): Promise<ConversationRow> {
    assertReachable(principal, conversationId);
    const conversation = await this.conversations.find(conversationId);
    if (!conversation) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.ConversationNotFound,
        `No conversation ${conversationId}`,
      );
    }
    return conversation;
  }

  async view(
    principal: Principal,
    conversationId: string,
    limit = 100,
    beforeSeq?: number,
    orderId?: string,
  ): Promise<ConversationView> {
    const conversation = await this.authorize(principal, conversationId);
    const [orders, messages] = await Promise.all([
      this.conversations.orders(conversation.customerId, 50, orderId),
      this.conversations.messagesBefore(conversationId, beforeSeq, limit + 1),
    ]);
    const hasEarlier = messages.length > limit;
    return {
      id: conversation.id,
      status: conversation.status,
      customer: { id: conversation.customerId, name: conversation.customerName },
      orders,
      messages: hasEarlier ? messages.slice(1) : messages,
      hasEarlier,
      read: { customer: conversation.customerRead, agent: conversation.agentRead },
    };
  }

  /** Everything after `afterSeq`, for a client that reconnected. */
  async catchUp(
    principal: Principal,
    conversationId: string,
    afterSeq: number,
  ): Promise<{ messages: ChatMessage[]; read: { customer: number; agent: number } }> {
    const conversation = await this.authorize(principal, conversationId);
    const messages = await this.conversations.messagesAfter(conversationId, afterSeq, CATCH_UP_LIMIT);
    return { messages, read: { customer: conversation.customerRead, agent: conversation.agentRead } };
  }

  async send(
    principal: Principal,
    request: SendMessage,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const body = storableText(request.body.trim());
    if (!UUID.test(request.clientId)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid clientId', [
        { field: 'clientId', message: 'clientId must be a UUID the client made for this message' },
      ]);
    }
    if (body.length === 0) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid body', [
        { field: 'body', message: 'body must not be empty' },
      ]);
    }
    if (body.length > CHAT_MESSAGE_MAX_LENGTH) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.ChatMessageTooLong,
        `A message can be at most ${CHAT_MESSAGE_MAX_LENGTH} characters (this one has ${body.length})`,
        [{ field: 'body', message: `body must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters` }],
      );
    }
    assertReachable(principal, request.conversationId);
    const customer = principal.role === 'customer';
    const author = {
      conversationId: request.conversationId,
      direction: customer ? ('in' as const) : ('out' as const),
      authorId: customer ? principal.customerId : principal.agentId,
      clientId: request.clientId,
      body,
    };

    // Most messages: into an open conversation, nothing else to record (an agent's reply must also
    // reach an external chat provider when there is one, in the same transaction).
    if (customer || !this.outbox.postsReplies) {
      const message = await this.conversations.insertIntoOpen(author);
      if (message) {
        this.fanout.message(message);
        this.fanout.inbox({ ticketId: request.conversationId, reason: 'message' });
        return { message, duplicate: false };
      }
    }

    await this.authorize(principal, request.conversationId);
    const outcome = await this.conversations.transaction(async (manager) => {
      const conversation = (await this.conversations.find(request.conversationId, manager, true))!;
      // A resend is found before inserting: the insert's trigger would take a seq even for a conflict.
      const resent = await this.conversations.byClientId(manager, request.conversationId, request.clientId);
      if (resent) return { message: resent, duplicate: true, events: [] };
      const id = await this.conversations.insertText(manager, author);
      if (!id) {
        // The same resend, racing: its original committed while we waited on the unique index.
        const original = await this.conversations.byClientId(
          manager,
          request.conversationId,
          request.clientId,
        );
        return { message: original!, duplicate: true, events: [] };
      }
      // An agent's reply also goes to the chat provider's conversation, where the customer reads it.
      if (!customer) await this.outbox.messageRecorded(manager, id);
      const event = customer ? await this.conversations.openForCustomer(manager, conversation) : undefined;
      const events = event ? [await this.conversations.message(manager, event)] : [];
      return { message: await this.conversations.message(manager, id), duplicate: false, events };
    });

    // Told only after the commit: nobody sees a message that could still roll back.
    if (!outcome.duplicate) {
      this.fanout.message(outcome.message);
      for (const event of outcome.events) this.fanout.message(event);
      this.fanout.inbox({ ticketId: request.conversationId, reason: 'message' });
    }
    return { message: outcome.message, duplicate: outcome.duplicate };
  }

  async read(principal: Principal, conversationId: string, seq: number): Promise<void> {
    if (!isSeq(seq)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid seq', [
        { field: 'seq', message: 'seq must be a whole number' },
      ]);
    }
    await this.authorize(principal, conversationId);
    const role = principal.role === 'customer' ? 'customer' : 'agent';
    const moved = await this.conversations.markRead(conversationId, role, seq);
    if (moved !== undefined) this.fanout.read({ conversationId, role, seq: moved });
  }
}

/** A customer reaches only their own conversation; agents reach any (whether it exists is another matter). */
function assertReachable(principal: Principal, conversationId: string): void {
  if (principal.role === 'customer' && principal.conversationId !== conversationId) {
    throw new ApiException(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This is not your conversation');
  }
}
