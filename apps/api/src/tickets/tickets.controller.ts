import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  ErrorCode,
  type InboxCounts,
  type ThreadEntry,
  type TicketDetail,
  type TicketPage,
} from '@switchboard/contracts';
import { CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { AgentGuard } from '../auth/agent.guard';
import { LOG_POSITION } from '../database/read-replica';
import { ApiException } from '../http/api-exception';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import { WritePosition } from '../http/write-position.interceptor';
import {
  InboxCountsDto,
  ListTicketsQuery,
  ReadDto,
  ReplyDto,
  ThreadEntryDto,
  TicketDetailDto,
  TicketPageDto,
  UpdateTicketDto,
} from './tickets.dto';
import { TicketsService } from './tickets.service';

type AgentPrincipal = Exclude<Principal, { role: 'customer' }>;

const TICKET_PARAM = { name: 'id', description: 'The ticket number.', example: '2088' };
const TICKET_NOT_FOUND = Err.of(404, ErrorCode.TicketNotFound, 'No ticket 2088');

const CUSTOMER = {
  id: '1042',
  name: null,
  username: null,
  email: null,
  phone: '+447700900001',
  smsOptedOutAt: null,
  smsOptOutSource: null,
};
const SUMMARY = {
  id: '2088',
  channel: 'sms',
  status: 'open',
  customer: CUSTOMER,
  assignee: { id: '7', name: 'Grace Hopper' },
  lastMessage: { body: 'Where is my order?', direction: 'in', createdAt: '2026-11-03T12:09:02.117Z' },
  unread: 1,
  lastActivityAt: '2026-11-03T12:09:02.117Z',
  createdAt: '2026-11-03T12:09:02.117Z',
};
const INBOUND = {
  id: '90420',
  seq: 1,
  conversationId: '2088',
  kind: 'text',
  author: { role: 'customer', id: '1042', name: '+447700900001' },
  body: 'Where is my order?',
  payload: {},
  clientId: null,
  createdAt: '2026-11-03T12:09:02.117Z',
  direction: 'in',
  status: 'received',
  error: null,
};
const CONFIRMATION = {
  id: '90421',
  seq: 2,
  conversationId: '2088',
  kind: 'text',
  author: { role: 'system', id: null, name: null },
  body:
    'Dear customer, your support request has been registered. Your ticket number is 2088. ' +
    'We intend to get back to any support requests within 24h.',
  payload: {},
  clientId: null,
  createdAt: '2026-11-03T12:09:02.301Z',
  direction: 'out',
  status: 'delivered',
  error: null,
};
const REPLY = {
  id: '90433',
  seq: 3,
  conversationId: '2088',
  kind: 'text',
  author: { role: 'agent', id: '7', name: 'Grace Hopper' },
  body: 'Your parcel left our warehouse this morning.',
  payload: {},
  clientId: '7d1b7c1e-51c5-4f0c-9a53-6f0f0d6f2a10',
  createdAt: '2026-11-03T12:15:40.020Z',
  direction: 'out',
  status: 'queued',
  error: null,
};
const DETAIL = {
  ...SUMMARY,
  supportNumber: '+447700900000',
  currentOrderId: null,
  orders: [],
  thread: [INBOUND, CONFIRMATION],
  read: { customer: 0, agent: 0 },
};
const REPLY_REFUSED = [
  Err.of(
    409,
    ErrorCode.SmsRecipientOptedOut,
    'The customer opted out of SMS (STOP) on 2026-11-03T12:20:00.000Z: nothing can be texted to them until they text START',
  ),
  Err.of(
    409,
    ErrorCode.SmsDestinationBlocked,
    'Cannot text this customer: FR numbers are outside SMS_ALLOWED_COUNTRIES (GB)',
  ),
];

const READ_AFTER = {
  name: 'x-read-after',
  required: false,
  description:
    "With a read replica (DATABASE_READ_URL): the latest `X-Position` of this agent's writes, or `position` of an " +
    'inbox event, seen. The replica answers only once it has replayed that far; else the primary does.',
  example: '16/B374D848',
};

/** The X-Read-After header, checked: a position in the log, or none. */
function logPosition(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (!LOG_POSITION.test(header)) {
    throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid X-Read-After', [
      { field: 'X-Read-After', message: 'X-Read-After must be a log position such as 16/B374D848' },
    ]);
  }
  return header;
}

/** The agent console's API. Agents only: no token → 401, a customer's token → 403. */
@Controller('api')
@UseGuards(AgentGuard)
@UseInterceptors(WritePosition)
@ApiTags(Tag.Tickets)
@ApiBearerAuth(Auth.Agent)
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get('tickets')
  @ApiOperation({
    summary: 'List tickets',
    description: 'Filtered and paginated, newest activity first, with unread counts.',
  })
  @ApiOkResponse({
    description: 'One page.',
    type: TicketPageDto,
    example: { items: [SUMMARY], total: 1, totalExact: true, nextCursor: null, page: 1, pageSize: 25 },
  })
  @ApiErrors(
    Err.validation([{ field: 'status', message: 'status must be open, pending, resolved or unresolved' }]),
    Err.validation(
      [{ field: 'cursor', message: 'cursor must be a nextCursor this API returned' }],
      'A cursor this API did not give',
    ),
    Err.agentOnly(),
  )
  @ApiHeader(READ_AFTER)
  list(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Query() query: ListTicketsQuery,
    @Headers('x-read-after') readAfter?: string,
  ): Promise<TicketPage> {
    return this.tickets.list(agent, query, logPosition(readAfter));
  }

  @Get('tickets/counts')
  @ApiOperation({
    summary: "Counts of the console's views",
    description:
      'Unresolved tickets: all, assigned to the caller, unassigned, and with unread customer messages.',
  })
  @ApiOkResponse({
    description: 'Each count exact up to 1,000.',
    type: InboxCountsDto,
    example: {
      unresolved: { count: 48, exact: true },
      mine: { count: 12, exact: true },
      unassigned: { count: 9, exact: true },
      unread: { count: 5, exact: true },
    },
  })
  @ApiErrors(Err.agentOnly())
  @ApiHeader(READ_AFTER)
  counts(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Headers('x-read-after') readAfter?: string,
  ): Promise<InboxCounts> {
    return this.tickets.counts(agent, logPosition(readAfter));
  }

  @Get('tickets/:id')
  @ApiOperation({
    summary: 'A ticket with its thread',
    description:
      'The customer (with SMS opt-out state), the thread with SMS delivery statuses and errors, and for chats ' +
      "the order the conversation is about and the customer's orders.",
  })
  @ApiParam(TICKET_PARAM)
  @ApiOkResponse({ description: 'The ticket.', type: TicketDetailDto, example: DETAIL })
  @ApiErrors(Err.agentOnly(), TICKET_NOT_FOUND)
  @ApiHeader(READ_AFTER)
  detail(@Param('id') id: string, @Headers('x-read-after') readAfter?: string): Promise<TicketDetail> {
    return this.tickets.detail(id, logPosition(readAfter));
  }

  @Post('tickets/:id/messages')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Reply',
    description:
      "On the ticket's channel: an SMS goes through the send queue (its status then follows live: queued → " +
      'submitted → sent → delivered, or failed), a chat message straight to the customer. Refused for a customer ' +
      "who texted STOP or whose number is outside `SMS_ALLOWED_COUNTRIES`. Agents' replies are never capped.",
  })
  @ApiParam(TICKET_PARAM)
  @ApiBody({ type: ReplyDto })
  @ApiCreatedResponse({ description: 'The reply, as a thread entry.', type: ThreadEntryDto, example: REPLY })
  @ApiErrors(
    Err.validation([{ field: 'body', message: 'body must be 1 to 1600 characters' }]),
    Err.agentOnly(),
    TICKET_NOT_FOUND,
    REPLY_REFUSED,
  )
  reply(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Param('id') id: string,
    @Body() dto: ReplyDto,
  ): Promise<ThreadEntry> {
    return this.tickets.reply(agent, id, dto.body, dto.clientId);
  }

  @Post('tickets/:id/messages/:messageId/resend')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Resend a failed SMS',
    description:
      "A new SMS with the failed one's text, through the same queue; the failed one stays in the thread.",
  })
  @ApiParam(TICKET_PARAM)
  @ApiParam({ name: 'messageId', description: 'The failed SMS (a thread entry id).', example: '90433' })
  @ApiCreatedResponse({
    description: 'The new SMS.',
    type: ThreadEntryDto,
    example: { ...REPLY, id: '90440', seq: 4, clientId: null, createdAt: '2026-11-03T12:31:12.448Z' },
  })
  @ApiErrors(
    Err.agentOnly(),
    Err.of(404, ErrorCode.NotFound, 'No failed SMS 90433 on ticket 2088'),
    REPLY_REFUSED,
  )
  resend(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Param('id') id: string,
    @Param('messageId') messageId: string,
  ): Promise<ThreadEntry> {
    return this.tickets.resend(agent, id, messageId);
  }

  @Patch('tickets/:id')
  @ApiOperation({
    summary: 'Change status or assignee',
    description: 'Each change becomes an event in the thread and is pushed to every console.',
  })
  @ApiParam(TICKET_PARAM)
  @ApiBody({
    type: UpdateTicketDto,
    examples: {
      resolve: { summary: 'Resolve', value: { status: 'resolved' } },
      assign: { summary: 'Assign', value: { assigneeId: '7' } },
      unassign: { summary: 'Unassign', value: { assigneeId: null } },
    },
  })
  @ApiOkResponse({
    description: 'The ticket as it is now.',
    type: TicketDetailDto,
    example: {
      ...DETAIL,
      status: 'resolved',
      thread: [
        INBOUND,
        CONFIRMATION,
        {
          id: '90450',
          seq: 3,
          conversationId: '2088',
          kind: 'event',
          author: { role: 'system', id: '7', name: 'Grace Hopper' },
          body: '',
          payload: {
            type: 'status_changed',
            from: 'open',
            to: 'resolved',
            byId: '7',
            byName: 'Grace Hopper',
          },
          clientId: null,
          createdAt: '2026-11-03T12:40:00.000Z',
          direction: 'out',
          status: null,
          error: null,
        },
      ],
    },
  })
  @ApiErrors(
    Err.validation([{ field: 'assigneeId', message: 'No agent 99' }]),
    Err.agentOnly(),
    TICKET_NOT_FOUND,
    Err.of(
      409,
      ErrorCode.TicketAnotherOpen,
      'The customer already has another open ticket on this channel: continue there, or resolve it first',
    ),
  )
  update(
    @CurrentPrincipal() agent: AgentPrincipal,
    @Param('id') id: string,
    @Body() dto: UpdateTicketDto,
  ): Promise<TicketDetail> {
    return this.tickets.update(agent, id, dto);
  }

  @Post('tickets/:id/read')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Mark read',
    description: "Moves the agents' read marker forward to `seq` (never back) and tells the customer's chat.",
  })
  @ApiParam(TICKET_PARAM)
  @ApiBody({ type: ReadDto })
  @ApiNoContentResponse({ description: 'Marked.' })
  @ApiErrors(
    Err.validation([{ field: 'seq', message: 'seq must be a whole number' }]),
    Err.agentOnly(),
    TICKET_NOT_FOUND,
  )
  read(@Param('id') id: string, @Body() dto: ReadDto): Promise<void> {
    return this.tickets.read(id, dto.seq);
  }
}
