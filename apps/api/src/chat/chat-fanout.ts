import { Injectable } from '@nestjs/common';
import { type ChatMessage, ChatEvent, type ReadChanged } from '@switchboard/contracts';
import type { Server } from 'socket.io';

export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

/**
 * Sends chat events to every socket in a conversation, on every instance: the socket.io server uses
 * the Postgres adapter, so an emit here reaches sockets connected to the other instances too.
 */
@Injectable()
export class ChatFanout {
  private server?: Server;

  attach(server: Server): void {
    this.server = server;
  }

  message(message: ChatMessage): void {
    this.server?.to(conversationRoom(message.conversationId)).emit(ChatEvent.Message, message);
  }

  read(change: ReadChanged): void {
    this.server?.to(conversationRoom(change.conversationId)).emit(ChatEvent.ReadChanged, change);
  }
}
