import { Global, Injectable, Module } from '@nestjs/common';
import type { ChatSessionResponse } from '@switchboard/contracts';
import type { EntityManager } from 'typeorm';

/** What the chat page needs to reach the conversation besides our own session (the provider's part). */
export type ChatTransport = Omit<
  ChatSessionResponse,
  'accessToken' | 'expiresIn' | 'conversationId' | 'customer'
>;

/**
 * Who carries the customer's side of a chat. The built-in provider (PostgreSQL and our socket.io
 * gateway) carries everything itself and is the default; an external one (bound by the app module when
 * configured) must hear of conversations and of what we post into them, in the caller's transaction,
 * and tells the chat page how to join. The chat core knows providers only through this port.
 */
export abstract class ChatProvider {
  /** Agents' replies must also reach the provider (so they take the general, transactional path). */
  abstract readonly postsReplies: boolean;
  /** A customer's conversation was created. */
  abstract conversationOpened(manager: EntityManager, conversationId: string): Promise<void>;
  /** We stored a message or event the customer must see (an agent's reply, an order confirmation). */
  abstract messageRecorded(manager: EntityManager, messageId: string): Promise<void>;
  /** How the chat page joins this conversation (may prepare it at the provider; 503 when it cannot). */
  abstract transport(conversationId: string): Promise<ChatTransport>;
}

/** The default: everything already lives in PostgreSQL and goes over our own socket. */
@Injectable()
export class BuiltInChatProvider extends ChatProvider {
  readonly postsReplies = false;

  async conversationOpened(): Promise<void> {}

  async messageRecorded(): Promise<void> {}

  async transport(): Promise<ChatTransport> {
    return { transport: 'socket' };
  }
}

/** Binds the built-in provider when no external one is configured (see the app module). */
@Global()
@Module({ providers: [{ provide: ChatProvider, useClass: BuiltInChatProvider }], exports: [ChatProvider] })
export class BuiltInChatProviderModule {}
