import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';
import type {
  InboxCount,
  SearchMatch,
  InboxCounts,
  TicketChannel,
  TicketCustomer,
  TicketDetail,
  TicketPage,
  TicketStatus,
  TicketSummary,
  ThreadEntry,
} from '@switchboard/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { ChatMessageDto, OrderViewDto, ReadMarkersDto } from '../chat/conversation.dto';
import { MAX_SEQ } from '../chat/chat.service';

/** Checks run bottom-up and stop at a field's first failure, so each field's basic rule comes last. */
export class ListTicketsQuery {
  @ApiPropertyOptional({
    enum: ['open', 'pending', 'resolved', 'unresolved'],
    description: '`unresolved` = open or pending. Default: all.',
    example: 'unresolved',
  })
  @IsOptional()
  @IsIn(['open', 'pending', 'resolved', 'unresolved'], {
    message: 'status must be open, pending, resolved or unresolved',
  })
  status?: 'open' | 'pending' | 'resolved' | 'unresolved';

  @ApiPropertyOptional({ enum: ['sms', 'chat'], example: 'sms' })
  @IsOptional()
  @IsIn(['sms', 'chat'], { message: 'channel must be sms or chat' })
  channel?: 'sms' | 'chat';

  @ApiPropertyOptional({
    description: '`me`, `none` (unassigned) or an agent id.',
    pattern: '^(me|none|\\d{1,18})$',
    example: 'me',
  })
  @IsOptional()
  @Matches(/^(me|none|\d{1,18})$/, { message: 'assignee must be me, none or an agent id' })
  assignee?: string;

  @ApiPropertyOptional({
    description:
      "Search the customer's name, username, email and phone, the messages' text, and the ticket number (`#2088`).",
    maxLength: 200,
    example: 'refund',
  })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  q?: string;

  @ApiPropertyOptional({
    description:
      "Where the page starts: the previous page's `nextCursor`. Pages by cursor neither repeat nor skip tickets " +
      'while new messages move tickets to the top (those arrive live).',
    maxLength: 200,
    example: 'eyJhIjoiMjAyNi0xMS0wM1QxMjowOTowMi4xMTcwMDBaIiwiaSI6IjIwODgifQ',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' })
  @MaxLength(200, { message: 'cursor must be a nextCursor this API returned' })
  @IsString({ message: 'cursor must be a nextCursor this API returned' })
  cursor?: string;

  @ApiPropertyOptional({
    description:
      'Only this ticket, if it matches the other filters (how a list places a ticket that changed).',
    pattern: '^\\d{1,18}$',
    example: '2088',
  })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'ticket must be a ticket number' })
  @IsString({ message: 'ticket must be a ticket number' })
  ticket?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1_000_000,
    default: 1,
    example: 1,
    deprecated: true,
    description: 'Offset pages (cost grows with the page number): use `cursor`. Not with `cursor`.',
  })
  @IsOptional()
  @Type(() => Number)
  @Max(1_000_000)
  @Min(1)
  @IsInt({ message: 'page must be a whole number' })
  page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 25, example: 25 })
  @IsOptional()
  @Type(() => Number)
  @Max(100)
  @Min(1)
  @IsInt({ message: 'pageSize must be a whole number' })
  pageSize?: number;
}

@ApiSchema({ name: 'TicketReplyRequest' })
export class ReplyDto {
  @ApiProperty({
    description: 'SMS tickets: 1 to 1600 characters; chat: 1 to 2000.',
    maxLength: 2000,
    example: 'Your parcel left our warehouse this morning.',
  })
  @MaxLength(2000, { message: 'body must be at most 2000 characters' })
  @IsString({ message: 'body is required' })
  body: string;

  @ApiPropertyOptional({
    description: 'A UUID the console made for this reply: sending it again never duplicates.',
    format: 'uuid',
    example: '7d1b7c1e-51c5-4f0c-9a53-6f0f0d6f2a10',
  })
  @IsOptional()
  @IsString()
  clientId?: string;
}

@ApiSchema({
  name: 'TicketUpdateRequest',
  description: 'Only the fields given change; each change is a thread event.',
})
export class UpdateTicketDto {
  @ApiPropertyOptional({ enum: ['open', 'pending', 'resolved'], example: 'resolved' })
  @IsOptional()
  @IsIn(['open', 'pending', 'resolved'], { message: 'status must be open, pending or resolved' })
  status?: 'open' | 'pending' | 'resolved';

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "An agent's id, or null to unassign.",
    pattern: '^\\d{1,18}$',
    example: '7',
  })
  @ValidateIf((dto: UpdateTicketDto) => dto.assigneeId !== undefined && dto.assigneeId !== null)
  @Matches(/^\d{1,18}$/, { message: 'assigneeId must be an agent id or null' })
  @IsString({ message: 'assigneeId must be an agent id or null' })
  assigneeId?: string | null;
}

@ApiSchema({ name: 'TicketReadRequest' })
export class ReadDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SEQ,
    description: 'The highest `seq` the agents have now read.',
    example: 14,
  })
  @Max(MAX_SEQ, { message: 'seq must be a whole number from 0 to 2147483647' })
  @Min(0, { message: 'seq must be a whole number from 0 to 2147483647' })
  @IsInt({ message: 'seq must be a whole number' })
  seq: number;
}

@ApiSchema({ name: 'TicketCustomer' })
export class TicketCustomerDto implements TicketCustomer {
  @ApiProperty({ example: '1042' })
  id: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Null for SMS-only customers.' })
  username: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+447700900001' })
  phone: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the customer texted STOP (nothing can be texted to them until START), else null.',
    example: null,
  })
  smsOptedOutAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The keyword, e.g. `STOP`.', example: null })
  smsOptOutSource: string | null;
}

/** Nullable objects are inlined: OpenAPI 3.0 cannot make a `$ref` nullable. */
const ASSIGNEE: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  description: 'Null when unassigned.',
  properties: { id: { type: 'string', example: '7' }, name: { type: 'string', example: 'Grace Hopper' } },
  required: ['id', 'name'],
  selfRequired: true,
};

const LAST_MESSAGE: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  description: 'The latest text message either way; null before any.',
  properties: {
    body: { type: 'string', example: 'Where is my order?' },
    direction: { type: 'string', enum: ['in', 'out'], example: 'in' },
    createdAt: { type: 'string', format: 'date-time', example: '2026-11-03T12:09:02.117Z' },
  },
  required: ['body', 'direction', 'createdAt'],
  selfRequired: true,
};

@ApiSchema({ name: 'Highlight' })
export class HighlightDto {
  @ApiProperty({
    type: 'integer',
    description: 'First UTF-16 code unit (a JavaScript string index).',
    example: 12,
  })
  start: number;

  @ApiProperty({ type: 'integer', description: 'One past the last.', example: 18 })
  end: number;
}

@ApiSchema({ name: 'SearchMatch' })
export class SearchMatchDto implements SearchMatch {
  @ApiProperty({ enum: ['ticket', 'customer', 'order', 'message'], example: 'message' })
  in: SearchMatch['in'];

  @ApiProperty({
    type: String,
    nullable: true,
    description: "A message's excerpt around the matched words, as plain text; null for other matches.",
    example: 'Where is my parcel? It was due on Monday',
  })
  text: string | null;

  @ApiProperty({
    type: () => [HighlightDto],
    description: 'The parts of `text` that matched, to mark in the excerpt.',
    example: [{ start: 12, end: 18 }],
  })
  highlights: HighlightDto[];
}

@ApiSchema({ name: 'TicketSummary' })
export class TicketSummaryDto implements TicketSummary {
  @ApiProperty({ description: 'The ticket number customers are told.', example: '2088' })
  id: string;

  @ApiProperty({ enum: ['sms', 'chat'], example: 'sms' })
  channel: TicketChannel;

  @ApiProperty({ enum: ['open', 'pending', 'resolved'], example: 'open' })
  status: TicketStatus;

  @ApiProperty({ type: TicketCustomerDto })
  customer: TicketCustomerDto;

  @ApiProperty(ASSIGNEE)
  assignee: TicketSummary['assignee'];

  @ApiProperty(LAST_MESSAGE)
  lastMessage: TicketSummary['lastMessage'];

  @ApiProperty({
    type: 'integer',
    description: "Customer messages newer than the agents' read marker.",
    example: 1,
  })
  unread: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-03T12:09:02.117Z' })
  lastActivityAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-03T12:09:02.117Z' })
  createdAt: string;

  @ApiPropertyOptional({ type: SearchMatchDto, description: 'In search results (`q`): what matched.' })
  match?: SearchMatchDto;
}

/** `GET /api/tickets` answer. */
@ApiSchema({ name: 'TicketPage' })
export class TicketPageDto implements TicketPage {
  @ApiProperty({ type: [TicketSummaryDto], description: 'Newest activity first.' })
  items: TicketSummaryDto[];

  @ApiProperty({
    type: 'integer',
    description:
      'Tickets matching the filters, over all pages: exact up to 1,000, then 1,000 with `totalExact` false.',
    example: 1,
  })
  total: number;

  @ApiProperty({ description: 'False when there are more than `total` ("1,000+").', example: true })
  totalExact: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
    example: null,
  })
  nextCursor: string | null;

  @ApiProperty({ type: 'integer', example: 1 })
  page: number;

  @ApiProperty({ type: 'integer', example: 25 })
  pageSize: number;
}

/** One entry of a ticket's thread, with what the console shows about SMS delivery. */
@ApiSchema({ name: 'ThreadEntry' })
export class ThreadEntryDto extends ChatMessageDto implements ThreadEntry {
  @ApiProperty({ enum: ['in', 'out'], example: 'out' })
  direction: 'in' | 'out';

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'SMS: `received`, `queued`, `submitted`, `sent`, `delivered`, `failed` or `suppressed`; chat: `received` or `sent`.',
    example: 'queued',
  })
  status: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "Why an SMS failed or was suppressed (e.g. the provider's reason).",
    example: null,
  })
  error: string | null;

  @ApiProperty({
    description:
      'For agents only: never shown or sent to the customer (e.g. an event `{ type: "agent_alert", outcome: ' +
      '"held" | "failed", agentId, reason }`: a chat alert by SMS that was held back or failed).',
    example: false,
  })
  internal: boolean;
}

/** `GET /api/tickets/:id` answer. */
@ApiSchema({ name: 'TicketDetail' })
export class TicketDetailDto extends TicketSummaryDto implements TicketDetail {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The number SMS replies come from.',
    example: '+447700900000',
  })
  supportNumber: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Chats: the order the conversation is about.',
    example: null,
  })
  currentOrderId: string | null;

  @ApiProperty({
    type: [OrderViewDto],
    description: "Chats: the customer's orders, newest first; SMS: empty.",
  })
  orders: OrderViewDto[];

  @ApiProperty({ type: [ThreadEntryDto], description: 'Oldest first.' })
  thread: ThreadEntryDto[];

  @ApiProperty({ type: ReadMarkersDto })
  read: ReadMarkersDto;
}

@ApiSchema({ name: 'InboxCount' })
export class InboxCountDto implements InboxCount {
  @ApiProperty({ type: 'integer', description: 'Up to 1,000.', example: 12 })
  count: number;

  @ApiProperty({ description: 'False past 1,000 ("1,000+").', example: true })
  exact: boolean;
}

/** `GET /api/tickets/counts` answer. */
@ApiSchema({ name: 'InboxCounts' })
export class InboxCountsDto implements InboxCounts {
  @ApiProperty({ type: InboxCountDto, description: 'Open and pending tickets.' })
  unresolved: InboxCountDto;

  @ApiProperty({ type: InboxCountDto, description: 'Unresolved tickets assigned to the caller.' })
  mine: InboxCountDto;

  @ApiProperty({ type: InboxCountDto, description: 'Unresolved tickets assigned to nobody.' })
  unassigned: InboxCountDto;

  @ApiProperty({
    type: InboxCountDto,
    description: 'Unresolved tickets with customer messages no agent has read.',
  })
  unread: InboxCountDto;
}
