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
import { ThreadService } from '../thread/thread.service';
import { type ConversationRow, ThreadViews } from '../thread/thread-views';
import { ChatProvider } from './chat-provider';

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
  /**
   * The socket it came over, which learns the stored message from its acknowledgement: the room's
   * copy goes to everyone else (the other side, the author's other tabs), and the events it caused
   * (a reopening) to that socket too.
   */
  fromSocket?: string;
}

/**
 * The rules of the chat, for the socket gateway and the REST routes alike: a customer reaches only
 * their own conversation, agents reach any; a message is stored before anyone is told about it, gets
 * the conversation's next `seq`, and a resend with the same client id returns the stored one.
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly thread: ThreadService,
    private readonly views: ThreadViews,
    private readonly provider: ChatProvider,
  ) {}

  async authorize(principal: Principal, conversationId: string): Promise<ConversationRow> {
    assertReachable(principal, conversationId);
    const conversation = await this.views.conversation(conversationId);
    if (!conversation) throw conversationNotFound(conversationId);
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
      this.views.orders(conversation.customerId, 50, orderId),
      this.views.chatMessagesBefore(conversationId, beforeSeq, limit + 1, principal.role !== 'customer'),
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
    const messages = await this.views.chatMessagesAfter(
      conversationId,
      afterSeq,
      CATCH_UP_LIMIT,
      principal.role !== 'customer',
    );
    return { messages, read: { customer: conversation.customerRead, agent: conversation.agentRead } };
  }

  async send(
    principal: Principal,
    request: SendMessage,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const body = validBody(request);
    assertReachable(principal, request.conversationId);
    const author =
      principal.role === 'customer'
        ? { customer: true, authorId: principal.customerId }
        : { customer: false, authorId: principal.agentId };
    return this.store(author, request, body);
  }

  /** An agent's reply from the console, into any conversation. */
  replyAsAgent(agentId: string, request: SendMessage): Promise<{ message: ChatMessage; duplicate: boolean }> {
    return this.store({ customer: false, authorId: agentId }, request, validBody(request));
  }

  private async store(
    author: { customer: boolean; authorId: string },
    request: SendMessage,
    body: string,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const { customer } = author;
    const text = {
      ticketId: request.conversationId,
      direction: customer ? ('in' as const) : ('out' as const),
      authorId: author.authorId,
      clientId: request.clientId,
      body,
    };

    // Most messages: into an open conversation, nothing else to record (an agent's reply must also
    // reach an external chat provider when there is one, in the same transaction).
    if (customer || !this.provider.postsReplies) {
      const message = await this.thread.appendToOpenConversation(text);
      if (message) {
        await this.thread.announce(request.conversationId, [message], 'message', senderOf(request));
        return { message, duplicate: false };
      }
    }

    const outcome = await this.thread.transaction(async (manager) => {
      const conversation = await this.views.conversation(request.conversationId, manager, true);
      if (!conversation) throw conversationNotFound(request.conversationId);
      // A resend is found before inserting: the insert's trigger would take a seq even for a conflict.
      const resent = await this.views.chatMessageByClientId(
        manager,
        request.conversationId,
        request.clientId,
      );
      if (resent) return { message: resent, duplicate: true, events: [] };
      const id = await this.thread.appendText(manager, text);
      if (!id) {
        // The same resend, racing: its original committed while we waited on the unique index.
        const original = await this.views.chatMessageByClientId(
          manager,
          request.conversationId,
          request.clientId,
        );
        return { message: original!, duplicate: true, events: [] };
      }
      // An agent's reply also goes to the chat provider's conversation, where the customer reads it.
      if (!customer) await this.provider.messageRecorded(manager, id);
      const event = customer ? await this.thread.reopenForCustomer(manager, conversation) : undefined;
      const events = event ? [await this.views.chatMessage(event, manager)] : [];
      return { message: await this.views.chatMessage(id, manager), duplicate: false, events };
    });

    // Told only after the commit: nobody sees a message that could still roll back.
    if (!outcome.duplicate) {
      await this.thread.announce(
        request.conversationId,
        [outcome.message, ...outcome.events],
        'message',
        senderOf(request),
      );
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
    await this.thread.markRead(conversationId, principal.role === 'customer' ? 'customer' : 'agent', seq);
  }
}

/** The message's text as stored, or a 400 naming what is wrong with the request. */
function validBody(request: SendMessage): string {
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
  return body;
}

/** The socket that sent it, which needs no copy of its own message. */
function senderOf(request: SendMessage): { socketId: string; clientId: string } | undefined {
  return request.fromSocket ? { socketId: request.fromSocket, clientId: request.clientId } : undefined;
}

function conversationNotFound(conversationId: string): ApiException {
  return new ApiException(
    HttpStatus.NOT_FOUND,
    ErrorCode.ConversationNotFound,
    `No conversation ${conversationId}`,
  );
}

/** A customer reaches only their own conversation; agents reach any (whether it exists is another matter). */
function assertReachable(principal: Principal, conversationId: string): void {
  if (principal.role === 'customer' && principal.conversationId !== conversationId) {
    throw new ApiException(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This is not your conversation');
  }
}
