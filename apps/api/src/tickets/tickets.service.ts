import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type ThreadEntry,
  type TicketDetail,
  type TicketPage,
  type TicketUpdateRequest,
} from '@switchboard/contracts';
import { AgentsRepository } from '../agents/agents.repository';
import type { Principal } from '../auth/access-tokens';
import { ChatService } from '../chat/chat.service';
import { ApiException } from '../http/api-exception';
import { Realtime } from '../realtime/realtime';
import { SmsRepliesService } from '../sms/outbound/sms-replies.service';
import { type TicketFilters, TicketsRepository } from './tickets.repository';

type Agent = Exclude<Principal, { role: 'customer' }>;

/**
 * What agents do with tickets: read the inbox and a thread, reply on the ticket's own channel,
 * resolve, reopen and assign. Every change is an event in the thread and is pushed to every console.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly agents: AgentsRepository,
    private readonly smsReplies: SmsRepliesService,
    private readonly chat: ChatService,
    private readonly realtime: Realtime,
  ) {}

  async list(agent: Agent, filters: TicketFilters): Promise<TicketPage> {
    const { items, total } = await this.tickets.list(filters, agent.agentId);
    return { items, total, page: filters.page, pageSize: filters.pageSize };
  }

  async detail(ticketId: string): Promise<TicketDetail> {
    const summary = await this.tickets.summary(ticketId);
    if (!summary) throw notFound(ticketId);
    const { customerId, ...rest } = summary as TicketDetail & { customerId: string };
    const [thread, orders] = await Promise.all([
      this.tickets.thread(ticketId),
      rest.channel === 'chat' ? this.tickets.orders(customerId) : Promise.resolve([]),
    ]);
    return { ...rest, orders, thread };
  }

  /** SMS go out through the send queue (status follows live); chat messages go straight to the socket. */
  async reply(agent: Agent, ticketId: string, body: string, clientId?: string): Promise<ThreadEntry> {
    const summary = await this.tickets.summary(ticketId);
    if (!summary) throw notFound(ticketId);
    if (summary.channel === 'chat') {
      const { message } = await this.chat.send(agent, {
        conversationId: ticketId,
        clientId: clientId ?? randomUUID(),
        body,
      });
      return this.tickets.entry(message.id);
    }
    const { messageId, duplicate } = await this.smsReplies.queue(ticketId, agent.agentId, body, clientId);
    const entry = await this.tickets.entry(messageId);
    return duplicate ? entry : this.announce(ticketId, entry);
  }

  /** A real resend: a new SMS with the failed one's text, through the same queue. */
  async resend(agent: Agent, ticketId: string, messageId: string): Promise<ThreadEntry> {
    const failed = await this.tickets.failedSms(ticketId, messageId);
    if (!failed) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.NotFound,
        `No failed SMS ${messageId} on ticket ${ticketId}`,
      );
    }
    const { messageId: resent } = await this.smsReplies.queue(ticketId, agent.agentId, failed.body);
    return this.announce(ticketId, await this.tickets.entry(resent));
  }

  async update(agent: Agent, ticketId: string, change: TicketUpdateRequest): Promise<TicketDetail> {
    const assignee =
      change.assigneeId === undefined || change.assigneeId === null
        ? null
        : await this.agents.byId(change.assigneeId);
    if (change.assigneeId && (!assignee || assignee.disabled)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid assigneeId', [
        {
          field: 'assigneeId',
          message: assignee ? `${assignee.name} is disabled` : `No agent ${change.assigneeId}`,
        },
      ]);
    }
    const events = await this.tickets
      .transaction(async (manager) => {
        const ticket = await this.tickets.lock(manager, ticketId);
        if (!ticket) throw notFound(ticketId);
        const recorded: string[] = [];
        const by = { byId: agent.agentId, byName: agent.name };
        if (change.status && change.status !== ticket.status) {
          await this.tickets.setStatus(manager, ticketId, change.status);
          recorded.push(
            await this.tickets.recordEvent(manager, ticketId, agent.agentId, {
              type: 'status_changed',
              from: ticket.status,
              to: change.status,
              ...by,
            }),
          );
        }
        if (change.assigneeId !== undefined && (assignee?.id ?? null) !== ticket.assigneeId) {
          await this.tickets.setAssignee(manager, ticketId, assignee?.id ?? null);
          recorded.push(
            await this.tickets.recordEvent(manager, ticketId, agent.agentId, {
              type: 'assigned',
              assigneeId: assignee?.id ?? null,
              assigneeName: assignee?.name ?? null,
              ...by,
            }),
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
    for (const id of events) this.realtime.message(await this.tickets.entry(id));
    if (events.length > 0) this.realtime.inbox({ ticketId, reason: change.status ? 'status' : 'assignee' });
    return this.detail(ticketId);
  }

  async read(ticketId: string, seq: number): Promise<void> {
    if (!(await this.tickets.summary(ticketId))) throw notFound(ticketId);
    const moved = await this.tickets.markRead(ticketId, seq);
    if (moved !== undefined) {
      this.realtime.read({ conversationId: ticketId, role: 'agent', seq: moved });
      this.realtime.inbox({ ticketId, reason: 'message' });
    }
  }

  private announce(ticketId: string, entry: ThreadEntry): ThreadEntry {
    this.realtime.message(entry);
    this.realtime.inbox({ ticketId, reason: 'message' });
    return entry;
  }
}

function notFound(ticketId: string): ApiException {
  return new ApiException(HttpStatus.NOT_FOUND, ErrorCode.TicketNotFound, `No ticket ${ticketId}`);
}
