import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type InboxCounts,
  type ThreadEntry,
  type TicketDetail,
  type TicketPage,
  type TicketUpdateRequest,
} from '@switchboard/contracts';
import { AgentsRepository } from '../agents/agents.repository';
import type { Principal } from '../auth/access-tokens';
import { ApiException } from '../http/api-exception';
import { ReplyChannels } from '../thread/reply-channels';
import { ThreadService, ticketNotFound } from '../thread/thread.service';
import { decodeCursor } from '../thread/inbox-cursor';
import { InboxViews } from '../thread/inbox-views';
import { ThreadViews } from '../thread/thread-views';
import type { ListTicketsQuery } from './tickets.dto';

type Agent = Exclude<Principal, { role: 'customer' }>;

/**
 * What agents do with tickets in the console: read the inbox and a thread, reply on the ticket's own
 * channel (whichever registered it), resolve, reopen and assign. The thread core records and announces
 * every change; this is the console's view of it.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly thread: ThreadService,
    private readonly views: ThreadViews,
    private readonly inbox: InboxViews,
    private readonly channels: ReplyChannels,
    private readonly agents: AgentsRepository,
  ) {}

  async list(agent: Agent, query: ListTicketsQuery): Promise<TicketPage> {
    const pageSize = query.pageSize ?? 25;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor)
      throw invalid('cursor', 'cursor must be a nextCursor this API returned');
    if (cursor && query.page !== undefined) throw invalid('page', 'page cannot be combined with cursor');
    const page = await this.inbox.list({
      status: query.status,
      channel: query.channel,
      assignee: query.assignee === 'me' ? agent.agentId : query.assignee,
      search: query.q?.trim() || undefined,
      ticketId: query.ticket,
      cursor,
      page: query.page,
      pageSize,
    });
    return { ...page, page: query.page ?? 1, pageSize };
  }

  counts(agent: Agent): Promise<InboxCounts> {
    return this.inbox.counts(agent.agentId);
  }

  async detail(ticketId: string): Promise<TicketDetail> {
    const summary = await this.views.summary(ticketId);
    if (!summary) throw ticketNotFound(ticketId);
    const { customerId, ...rest } = summary;
    const [thread, orders] = await Promise.all([
      this.views.entries(ticketId),
      rest.channel === 'chat' ? this.views.orders(customerId) : Promise.resolve([]),
    ]);
    return { ...(rest as Omit<TicketDetail, 'orders' | 'thread'>), orders, thread };
  }

  /** On the ticket's own channel: an SMS through the send queue, a chat message straight to the socket. */
  async reply(agent: Agent, ticketId: string, body: string, clientId?: string): Promise<ThreadEntry> {
    const summary = await this.views.summary(ticketId);
    if (!summary) throw ticketNotFound(ticketId);
    return this.channels.of(summary).reply(ticketId, agent, body, clientId);
  }

  /** A real resend: a new message with the failed one's text, where the channel can send one. */
  async resend(agent: Agent, ticketId: string, messageId: string): Promise<ThreadEntry> {
    const failed = await this.views.failedText(ticketId, messageId);
    const summary = failed && (await this.views.summary(ticketId));
    if (!summary) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.NotFound,
        `No failed SMS ${messageId} on ticket ${ticketId}`,
      );
    }
    const channel = this.channels.of(summary);
    if (!channel.resend) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.TicketWrongChannel,
        `Ticket ${ticketId} is not an SMS ticket`,
      );
    }
    return channel.resend(ticketId, agent, messageId);
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
    await this.thread.change(agent, ticketId, {
      ...(change.status ? { status: change.status } : {}),
      ...(change.assigneeId !== undefined ? { assignee } : {}),
    });
    return this.detail(ticketId);
  }

  async read(ticketId: string, seq: number): Promise<void> {
    if (!(await this.views.summary(ticketId))) throw ticketNotFound(ticketId);
    await this.thread.markRead(ticketId, 'agent', seq);
  }
}

const invalid = (field: string, message: string) =>
  new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Invalid ${field}`, [
    { field, message },
  ]);
