import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type {
  ChatAuthorRole,
  ChatMessage,
  ConversationView,
  OrderLineView,
  OrderView,
} from '@switchboard/contracts';
import { ChatCustomerDto } from './chat-session.dto';

@ApiSchema({ name: 'ChatAuthor' })
export class ChatAuthorDto {
  @ApiProperty({ enum: ['customer', 'agent', 'system'], example: 'customer' })
  role: ChatAuthorRole;

  @ApiProperty({ type: String, nullable: true, example: '1042', description: 'Null for system events.' })
  id: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name: string | null;
}

/** One entry of a conversation: a text message or an event (order-confirm, status change). */
@ApiSchema({ name: 'ChatMessage' })
export class ChatMessageDto implements ChatMessage {
  @ApiProperty({ example: '90412' })
  id: string;

  @ApiProperty({
    type: 'integer',
    description:
      'Position in the conversation (1, 2, 3 …); a reconnecting client asks for everything after it.',
    example: 3,
  })
  seq: number;

  @ApiProperty({ example: '2087' })
  conversationId: string;

  @ApiProperty({ enum: ['text', 'event'], example: 'text' })
  kind: 'text' | 'event';

  @ApiProperty({ type: ChatAuthorDto })
  author: ChatAuthorDto;

  @ApiProperty({ example: 'Hello, when will my order ship?' })
  body: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "Events only (empty for text): `{ type: 'order-confirm', orderId, items, total, currency, text }`, " +
      "`{ type: 'status_changed', from, to, byId, byName }`, `{ type: 'assigned', assigneeId, assigneeName, byId, byName }`.",
    example: {},
  })
  payload: Record<string, unknown>;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The id the sending client chose, echoed so it can match its pending copy.',
    example: '3b241101-e2bb-4255-8caf-4136c566a962',
  })
  clientId: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-03T12:09:02.117Z' })
  createdAt: string;
}

@ApiSchema({ name: 'OrderLineView' })
export class OrderLineViewDto implements OrderLineView {
  @ApiProperty({ example: 'Widget' })
  name: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity: number;

  @ApiProperty({ type: 'integer', description: 'Minor units (cents) of `currency`.', example: 499 })
  unitPrice: number;
}

@ApiSchema({ name: 'OrderView' })
export class OrderViewDto implements OrderView {
  @ApiProperty({ example: '311' })
  id: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ type: 'integer', description: 'Minor units.', example: 2248 })
  total: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-03T12:07:41.512Z' })
  createdAt: string;

  @ApiProperty({ type: [OrderLineViewDto] })
  items: OrderLineViewDto[];
}

@ApiSchema({ name: 'ReadMarkers', description: 'The highest `seq` each side has read.' })
export class ReadMarkersDto {
  @ApiProperty({ type: 'integer', example: 3 })
  customer: number;

  @ApiProperty({ type: 'integer', example: 2 })
  agent: number;
}

/** `GET /api/chat/conversations/:id` answer. */
@ApiSchema({ name: 'ConversationView' })
export class ConversationViewDto implements ConversationView {
  @ApiProperty({ example: '2087' })
  id: string;

  @ApiProperty({ enum: ['open', 'pending', 'resolved'], example: 'open' })
  status: 'open' | 'pending' | 'resolved';

  @ApiProperty({ type: ChatCustomerDto })
  customer: ChatCustomerDto;

  @ApiProperty({ type: [OrderViewDto], description: "The customer's orders, newest first." })
  orders: OrderViewDto[];

  @ApiProperty({
    type: [ChatMessageDto],
    description: 'Oldest first: the latest `limit` (see `hasEarlier`).',
  })
  messages: ChatMessageDto[];

  @ApiProperty({ description: 'Whether older messages exist (page back with `beforeSeq`).', example: false })
  hasEarlier: boolean;

  @ApiProperty({ type: ReadMarkersDto })
  read: ReadMarkersDto;
}
