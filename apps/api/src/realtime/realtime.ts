import { Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import {
  type ChatMessage,
  ChatEvent,
  InboxEvent,
  type InboxChanged,
  type ReadChanged,
} from '@switchboard/contracts';
import type { Server } from 'socket.io';
import { ReadReplica } from '../database/read-replica';

export const conversationRoom = (ticketId: string) => `conversation:${ticketId}`;
/** Every signed-in agent's sockets: the live inbox. */
export const AGENTS_ROOM = 'agents';

/**
 * Pushes events to sockets on every instance: the socket.io server uses the Postgres adapter, so an
 * emit here reaches sockets connected to other instances too. Fire-and-forget: it never delays or
 * fails the request that caused it (clients catch up by sequence number or refetch).
 */
/** Inbox changes are gathered this long and sent as one event: one NOTIFY, not one per webhook. */
const INBOX_FLUSH_MS = 200;

@Injectable()
export class Realtime implements OnApplicationShutdown {
  private server?: Server;
  private readonly pendingInbox = new Map<string, InboxChanged>();
  private flushTimer?: NodeJS.Timeout;

  constructor(@Optional() private readonly replica?: ReadReplica) {}

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
    if (!this.server) return;
    // One entry per ticket; a customer opening their chat outranks the messages that follow it.
    if (this.pendingInbox.get(change.ticketId)?.reason !== 'chat_opened')
      this.pendingInbox.set(change.ticketId, change);
    this.flushTimer ??= setTimeout(() => this.flushInbox(), INBOX_FLUSH_MS).unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.flushTimer);
    this.flushInbox();
  }

  private flushInbox(): void {
    this.flushTimer = undefined;
    if (this.pendingInbox.size === 0) return;
    const changes = [...this.pendingInbox.values()];
    this.pendingInbox.clear();
    if (!this.replica?.configured) {
      this.server?.to(AGENTS_ROOM).emit(InboxEvent.Changed, changes);
      return;
    }
    // With a read replica, each change says where the primary's log stood once it was committed (they
    // all were, before being announced): the console reads it back as X-Read-After.
    void this.replica
      .position()
      .catch(() => undefined)
      .then((position) => {
        const positioned = position ? changes.map((change) => ({ ...change, position })) : changes;
        this.server?.to(AGENTS_ROOM).emit(InboxEvent.Changed, positioned);
      });
  }
}
