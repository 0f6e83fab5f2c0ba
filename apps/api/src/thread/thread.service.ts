import { HttpStatus, Injectable } from '@nestjs/common';
import { type ChatMessage, ErrorCode, type TicketStatus } from '@switchboard/contracts';
import type { EntityManager } from 'typeorm';
import { ApiException } from '../http/api-exception';
import { Realtime } from '../realtime/realtime';
import { type NewEvent, type NewText, ThreadMessagesRepository } from './thread-messages.repository';
import { ThreadTicketsRepository } from './thread-tickets.repository';
import { type ConversationRow, ThreadViews } from './thread-views';

/** Who changes a ticket, as its events record them. */
export interface Actor {
  agentId: string;
  name: string;
}

/** A change an agent makes to a ticket; `assignee` is an agent already checked (or null: nobody). */
export interface TicketChange {
  status?: TicketStatus;
  assignee?: { id: string; name: string } | null;
}

/**
 * The conversation thread's one owner: tickets, their messages and events. Every module that opens a
 * ticket, adds to a thread or changes a ticket does it here (SMS tickets are opened by the inbound SQL
 * the thread owns), and everyone hears about it from here, after the commit: nobody sees what could
 * still roll back. Channels plug in through `ReplyChannels`; this module imports none of them.
 */
@Injectable()
export class ThreadService {
  constructor(
    private readonly tickets: ThreadTicketsRepository,
    private readonly messages: ThreadMessagesRepository,
    private readonly views: ThreadViews,
    private readonly realtime: Realtime,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.tickets.transaction(work);
  }

  // ---- tickets ------------------------------------------------------------------------------------

  /** The customer's chat conversation, created (`pending`) the first time. */
  openConversation(manager: EntityManager, customerId: string): Promise<{ id: string; created: boolean }> {
    return this.tickets.openConversation(manager, customerId);
  }

  /**
   * An agent changes a ticket's status or assignee: each change is an event in the thread, pushed to
   * the ticket's room and every inbox. 409 when reopening would make a second unresolved ticket.
   */
  async change(actor: Actor, ticketId: string, change: TicketChange): Promise<void> {
    const events = await this.tickets
      .transaction(async (manager) => {
        const ticket = await this.tickets.lock(manager, ticketId);
        if (!ticket) throw ticketNotFound(ticketId);
        const recorded: string[] = [];
        const by = { byId: actor.agentId, byName: actor.name };
        const event = (payload: Record<string, unknown>) =>
          this.messages.appendEvent(manager, {
            ticketId,
            direction: 'out',
            authorId: actor.agentId,
            payload,
          });
        if (change.status && change.status !== ticket.status) {
          await this.tickets.setStatus(manager, ticketId, change.status);
          recorded.push(
            await event({ type: 'status_changed', from: ticket.status, to: change.status, ...by }),
          );
        }
        const assigneeId = change.assignee?.id ?? null;
        if (change.assignee !== undefined && assigneeId !== ticket.assigneeId) {
          await this.tickets.setAssignee(manager, ticketId, assigneeId);
          recorded.push(
            await event({ type: 'assigned', assigneeId, assigneeName: change.assignee?.name ?? null, ...by }),
          );
        }
        return recorded;
      })
      .catch((error: { code?: string; constraint?: string }) => {
        if (error.code === '23505' && error.constraint === 'tickets_one_unresolved') {
          throw new ApiException(
            HttpStatus.CONFLICT,
            ErrorCode.TicketAnotherOpen,
            'The customer already has another open ticket on this channel: continue there, or resolve it first',
          );
        }
        throw error;
      });
    if (events.length === 0) return;
    await this.announce(ticketId, events, change.status ? 'status' : 'assignee');
  }

  /**
   * The customer wrote in their conversation: it opens, and a resolved one records that it reopened.
   * The event's id when there is one.
   */
  async reopenForCustomer(
    manager: EntityManager,
    conversation: ConversationRow,
  ): Promise<string | undefined> {
    if (conversation.status === 'open') return undefined;
    await this.tickets.setStatus(manager, conversation.id, 'open');
    if (conversation.status !== 'resolved') return undefined;
    return this.messages.appendEvent(manager, {
      ticketId: conversation.id,
      direction: 'in',
      authorId: conversation.customerId,
      payload: { type: 'status_changed', from: 'resolved', to: 'open', reason: 'customer_message' },
    });
  }

  /** From now on the conversation is about this order. */
  setOrder(manager: EntityManager, ticketId: string, orderId: string): Promise<void> {
    return this.tickets.setOrder(manager, ticketId, orderId);
  }

  /** Raises one side's read marker (never lowers it) and tells the other side, and the inboxes. */
  async markRead(ticketId: string, side: 'customer' | 'agent', seq: number): Promise<void> {
    const moved = await this.tickets.moveReadMarker(ticketId, side, seq);
    if (moved === undefined) return;
    this.realtime.read({ conversationId: ticketId, role: side, seq: moved });
    if (side === 'agent') this.realtime.inbox({ ticketId, reason: 'message' });
  }

  // ---- messages -----------------------------------------------------------------------------------

  /** A chat text into an open conversation in one statement (see the repository); undefined: take the general path. */
  appendToOpenConversation(text: NewText): Promise<ChatMessage | undefined> {
    return this.messages.appendToOpenConversation(text);
  }

  /** Undefined when this client id was already used in the ticket (a resend). */
  appendText(manager: EntityManager, text: NewText): Promise<string | undefined> {
    return this.messages.appendText(manager, text);
  }

  /** An agent's reply a channel still has to send; undefined when its client id was used already. */
  appendQueuedReply(
    manager: EntityManager,
    reply: { ticketId: string; authorId: string; body: string; provider: string; clientId?: string },
  ): Promise<string | undefined> {
    return this.messages.appendQueuedReply(manager, reply);
  }

  idByClientId(manager: EntityManager, ticketId: string, clientId: string): Promise<string | undefined> {
    return this.messages.idByClientId(manager, ticketId, clientId);
  }

  /** What a customer posted through an external provider; undefined for a retried delivery. */
  appendFromProvider(
    manager: EntityManager,
    message: Parameters<ThreadMessagesRepository['appendFromProvider']>[1],
  ): Promise<string | undefined> {
    return this.messages.appendFromProvider(manager, message);
  }

  appendEvent(manager: EntityManager, event: NewEvent): Promise<string> {
    return this.messages.appendEvent(manager, event);
  }

  // ---- telling everyone ------------------------------------------------------------------------------

  /**
   * Pushes committed messages or events to the ticket's room (the customer's chat, agents viewing it)
   * and the ticket to every inbox. Call after the commit. `sender`: the socket a message came over,
   * which has that message from its acknowledgement (not the events it caused).
   */
  async announce(
    ticketId: string,
    messages: (string | ChatMessage)[],
    reason: 'message' | 'status' | 'assignee' = 'message',
    sender?: { socketId: string; clientId: string },
  ): Promise<void> {
    for (const message of messages) {
      const entry = typeof message === 'string' ? await this.views.entry(message) : message;
      this.realtime.message(entry, entry.clientId === sender?.clientId ? sender?.socketId : undefined);
    }
    this.realtime.inbox({ ticketId, reason });
  }
}

export function ticketNotFound(ticketId: string): ApiException {
  return new ApiException(HttpStatus.NOT_FOUND, ErrorCode.TicketNotFound, `No ticket ${ticketId}`);
}
