import { Injectable } from '@nestjs/common';
import {
  type ChatMessage,
  ChatEvent,
  InboxEvent,
  type InboxChanged,
  type ReadChanged,
} from '@switchboard/contracts';
import type { Server } from 'socket.io';

export const conversationRoom = (ticketId: string) => `conversation:${ticketId}`;
/** Every signed-in agent's sockets: the live inbox. */
export const AGENTS_ROOM = 'agents';

/**
 * Pushes events to sockets on every instance: the socket.io server uses the Postgres adapter, so an
 * emit here reaches sockets connected to other instances too. Fire-and-forget: it never delays or
 * fails the request that caused it (clients catch up by sequence number or refetch).
 */
@Injectable()
export class Realtime {
  private server?: Server;

  attach(server: Server): void {
    this.server = server;
  }

  /** A new message or event in a ticket's thread, to its room (customer and agents viewing it). */
  message(message: ChatMessage): void {
    this.server?.to(conversationRoom(message.conversationId)).emit(ChatEvent.Message, message);
  }

  read(change: ReadChanged): void {
    this.server?.to(conversationRoom(change.conversationId)).emit(ChatEvent.ReadChanged, change);
  }

  /** Something agents' inboxes should show (a new message, a status, a delivery receipt …). */
  inbox(change: InboxChanged): void {
    this.server?.to(AGENTS_ROOM).emit(InboxEvent.Changed, change);
  }
}
