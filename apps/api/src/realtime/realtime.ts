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
/** The agents' sockets whose console shows this ticket now (`ticket:view`). */
export const viewingRoom = (ticketId: string) => `viewing:${ticketId}`;
/** Every signed-in agent's sockets: the live inbox. */
export const AGENTS_ROOM = 'agents';
/** Every customer's sockets: what is internal to the desk is sent to a conversation's room but this one. */
export const CUSTOMERS_ROOM = 'customers';

/** A thread entry for a conversation's room; an internal one is not sent to the customer's sockets. */
type RoomMessage = ChatMessage & { internal?: boolean };

/** Inbox changes are gathered this long and sent as one event: one NOTIFY, not one per webhook. */
const INBOX_FLUSH_MS = 200;
/** Thread messages for the other instances' sockets (a server-side event of the adapter). */
const PEER_MESSAGES = 'thread:messages';
/**
 * Roughly what one NOTIFY of messages may carry: the adapter sends a bigger payload through a table
 * (an insert, and a read on every instance), so a batch is cut before it gets there.
 */
const PEER_BATCH_CHARS = 6_000;
/** What a message adds to a batch besides its body: ids, author, timestamps, JSON. */
const MESSAGE_OVERHEAD_CHARS = 500;

/**
 * Pushes events to sockets on every instance: the socket.io server uses the Postgres adapter, so an
 * emit here reaches sockets connected to other instances too. Fire-and-forget: it never delays or
 * fails the request that caused it (clients catch up by sequence number or refetch).
 */
@Injectable()
export class Realtime implements OnApplicationShutdown {
  private server?: Server;
  private readonly pendingInbox = new Map<string, InboxChanged>();
  private flushTimer?: NodeJS.Timeout;
  private forPeers: RoomMessage[] = [];
  private peersScheduled = false;

  constructor(@Optional() private readonly replica?: ReadReplica) {}

  attach(server: Server): void {
    this.server = server;
    server.on(PEER_MESSAGES, (messages: RoomMessage[]) => {
      for (const message of messages) this.deliverHere(message);
    });
  }

  /**
   * A new message or event in a ticket's thread, to its room (customer and agents viewing it). The
   * sockets of this instance get it at once; the other instances get the messages of this turn of the
   * event loop together, in one NOTIFY. (A plain broadcast would wait for its NOTIFY's round trip
   * before writing to even the local sockets, and send one per message.)
   */
  message(message: RoomMessage, exceptSocket?: string): void {
    if (!this.server) return;
    this.deliverHere(message, exceptSocket);
    this.forPeers.push(message);
    if (this.peersScheduled) return;
    this.peersScheduled = true;
    setImmediate(() => this.flushPeers());
  }

  /**
   * How many agent sockets, on any instance, show this ticket now. Zero when an instance did not answer
   * in time: a needless alert is better than a missed one.
   */
  async viewers(ticketId: string): Promise<number> {
    if (!this.server) return 0;
    try {
      return (await this.server.in(viewingRoom(ticketId)).fetchSockets()).length;
    } catch {
      return 0;
    }
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
    this.flushPeers();
  }

  private deliverHere(message: RoomMessage, exceptSocket?: string): void {
    let room = this.server?.local.to(conversationRoom(message.conversationId));
    if (exceptSocket) room = room?.except(exceptSocket);
    if (message.internal) room = room?.except(CUSTOMERS_ROOM);
    room?.emit(ChatEvent.Message, message);
  }

  private flushPeers(): void {
    this.peersScheduled = false;
    const messages = this.forPeers;
    this.forPeers = [];
    let batch: RoomMessage[] = [];
    let chars = 0;
    for (const message of messages) {
      const size = message.body.length + MESSAGE_OVERHEAD_CHARS;
      if (batch.length > 0 && chars + size > PEER_BATCH_CHARS) {
        this.server?.serverSideEmit(PEER_MESSAGES, batch);
        batch = [];
        chars = 0;
      }
      batch.push(message);
      chars += size;
    }
    if (batch.length > 0) this.server?.serverSideEmit(PEER_MESSAGES, batch);
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
