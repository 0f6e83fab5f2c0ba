import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type InboxCounts,
  type ThreadEntry,
  type TicketDetail,
  type TicketPage,
  type TicketUpdateRequest,
} from '@switchboard/contracts';
import type { DataSource } from 'typeorm';
import { AgentsRepository } from '../agents/agents.repository';
import { ReadReplica } from '../database/read-replica';
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
    private readonly replica: ReadReplica,
    private readonly channels: ReplyChannels,
    private readonly agents: AgentsRepository,
  ) {}

  /** `readAfter`: the primary's log position the agent has seen (X-Read-After), for a replica's reads. */
  async list(agent: Agent, query: ListTicketsQuery, readAfter?: string): Promise<TicketPage> {
    const pageSize = query.pageSize ?? 25;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor)
      throw invalid('cursor', 'cursor must be a nextCursor this API returned');
    if (cursor && query.page !== undefined) throw invalid('page', 'page cannot be combined with cursor');
    const filters = {
      status: query.status,
      channel: query.channel,
      assignee: query.assignee === 'me' ? agent.agentId : query.assignee,
      search: query.q?.trim() || undefined,
      ticketId: query.ticket,
      cursor,
      page: query.page,
      pageSize,
    };
    const page = await this.replica.read(readAfter, (source) => this.inbox.list(filters, source));
    return { ...page, page: query.page ?? 1, pageSize };
  }

  async counts(agent: Agent, readAfter?: string): Promise<InboxCounts> {
    return this.replica.read(readAfter, (source) => this.inbox.counts(agent.agentId, source));
  }

  /** `readAfter`: as for list; PRIMARY after a write, which its answer must show. */
  async detail(ticketId: string, readAfter?: string | typeof PRIMARY): Promise<TicketDetail> {
    const work = async (source: DataSource): Promise<TicketDetail | undefined> => {
      const summary = await this.views.summary(ticketId, source);
      if (!summary) return undefined;
      const { customerId, ...rest } = summary;
      const [thread, orders] = await Promise.all([
        this.views.entries(ticketId, undefined, source),
        rest.channel === 'chat'
          ? this.views.orders(customerId, undefined, undefined, source)
          : Promise.resolve([]),
      ]);
      return { ...(rest as Omit<TicketDetail, 'orders' | 'thread'>), orders, thread };
    };
    const detail =
      readAfter === PRIMARY ? await this.replica.primaryRead(work) : await this.replica.read(readAfter, work);
    if (!detail) throw ticketNotFound(ticketId);
    return detail;
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
    return this.detail(ticketId, PRIMARY);
  }

  async read(ticketId: string, seq: number): Promise<void> {
    if (!(await this.views.summary(ticketId))) throw ticketNotFound(ticketId);
    await this.thread.markRead(ticketId, 'agent', seq);
  }
}

/** Read from the primary: what the caller's own write just changed. */
const PRIMARY = Symbol('primary');

const invalid = (field: string, message: string) =>
  new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Invalid ${field}`, [
    { field, message },
  ]);
