import { Body, Controller, Get, Param, Post, Query, UseGuards, DefaultValuePipe } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiQuery,
  ApiSchema,
  ApiTags,
} from '@nestjs/swagger';
import { type ChatMessage, type ConversationView, ErrorCode } from '@switchboard/contracts';
import { IsString } from 'class-validator';
import { AccessTokenGuard, CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import { KeepsText } from '../http/untrusted-input';
import { ChatService, isSeq } from './chat.service';
import { ChatMessageDto, ConversationViewDto } from './conversation.dto';

@ApiSchema({ name: 'PostMessageRequest' })
class PostMessageDto {
  @ApiProperty({
    description:
      'A UUID the client made for this message: sending it again returns the first copy, never a duplicate.',
    format: 'uuid',
    example: '3b241101-e2bb-4255-8caf-4136c566a962',
  })
  @IsString({ message: 'clientId is required: a UUID the client made for this message' })
  clientId: string;

  @ApiProperty({
    description: '1 to 2000 characters (trimmed).',
    example: 'Hello, when will my order ship?',
    maxLength: 2000,
  })
  @IsString({ message: 'body is required' })
  body: string;
}

const CONVERSATION_PARAM = {
  name: 'id',
  description: 'The conversation id (from the chat link).',
  example: '2087',
};

const MESSAGE_EXAMPLE = {
  id: '90412',
  seq: 3,
  conversationId: '2087',
  kind: 'text',
  author: { role: 'customer', id: '1042', name: 'Ada Lovelace' },
  body: 'Hello, when will my order ship?',
  payload: {},
  clientId: '3b241101-e2bb-4255-8caf-4136c566a962',
  createdAt: '2026-11-03T12:09:02.117Z',
};

const ACCESS_ERRORS = [
  ...Err.accessToken(),
  Err.of(403, ErrorCode.Forbidden, 'This is not your conversation'),
  Err.of(404, ErrorCode.ConversationNotFound, 'No conversation 2087'),
];

/** The chat over HTTP: what the page loads first, and sending for clients without a socket. */
@Controller('api/chat/conversations')
@UseGuards(AccessTokenGuard)
@ApiTags(Tag.Chat)
@ApiBearerAuth(Auth.ChatSession)
export class ConversationsController {
  constructor(private readonly chat: ChatService) {}

  @Get(':id')
  @ApiOperation({
    summary: 'Load a conversation',
    description:
      'Everything the chat page shows: the customer, their orders, and the latest messages. A customer reaches ' +
      'only their own conversation; agents reach any.',
  })
  @ApiParam(CONVERSATION_PARAM)
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    description: 'How many of the latest messages, clamped to 1–500; anything not a whole number means 100.',
  })
  @ApiQuery({
    name: 'beforeSeq',
    required: false,
    schema: { type: 'integer', example: 120 },
    description: 'Page back: only messages with a lower `seq` (ignored unless a whole number).',
  })
  @ApiQuery({
    name: 'orderId',
    required: false,
    schema: { type: 'string', example: '311' },
    description: 'The order the page is about, included even when older than the latest fifty orders.',
  })
  @ApiOkResponse({
    description: 'The conversation.',
    type: ConversationViewDto,
    example: {
      id: '2087',
      status: 'open',
      customer: { id: '1042', name: 'Ada Lovelace' },
      orders: [
        {
          id: '311',
          currency: 'EUR',
          total: 2248,
          createdAt: '2026-11-03T12:07:41.512Z',
          items: [
            { name: 'Widget', quantity: 2, unitPrice: 499 },
            { name: 'Gadget', quantity: 1, unitPrice: 1250 },
          ],
        },
      ],
      messages: [
        {
          id: '90398',
          seq: 1,
          conversationId: '2087',
          kind: 'event',
          author: { role: 'system', id: null, name: null },
          body: '2 × Widget (€4.99), 1 × Gadget (€12.50) — total €22.48',
          payload: {
            type: 'order-confirm',
            orderId: '311',
            items: [
              { name: 'Widget', quantity: 2, unitPrice: 499 },
              { name: 'Gadget', quantity: 1, unitPrice: 1250 },
            ],
            total: 2248,
            currency: 'EUR',
            text: '2 × Widget (€4.99), 1 × Gadget (€12.50) — total €22.48',
          },
          clientId: null,
          createdAt: '2026-11-03T12:07:41.512Z',
        },
        MESSAGE_EXAMPLE,
      ],
      hasEarlier: false,
      read: { customer: 3, agent: 1 },
    },
  })
  @ApiErrors(ACCESS_ERRORS)
  view(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query('limit') limit?: string,
    @Query('beforeSeq') beforeSeq?: string,
    /** The order the page is about, included even when older than the latest fifty. */
    @Query('orderId', new DefaultValuePipe(undefined)) orderId?: string,
  ): Promise<ConversationView> {
    const [count, before] = [Number(limit ?? 100), Number(beforeSeq)];
    return this.chat.view(
      principal,
      id,
      Math.min(Math.max(Number.isInteger(count) ? count : 100, 1), 500),
      isSeq(before) ? before : undefined,
      orderId,
    );
  }

  @Post(':id/messages')
  @KeepsText('body')
  @ApiOperation({
    summary: 'Send a message',
    description:
      'For clients without a socket (the socket.io `message:send` event does the same). Stored before it is ' +
      'broadcast; resending the same `clientId` returns the stored message.',
  })
  @ApiParam(CONVERSATION_PARAM)
  @ApiBody({ type: PostMessageDto })
  @ApiCreatedResponse({ description: 'The stored message.', type: ChatMessageDto, example: MESSAGE_EXAMPLE })
  @ApiErrors(
    Err.validation([
      { field: 'clientId', message: 'clientId must be a UUID the client made for this message' },
    ]),
    {
      ...Err.of(
        400,
        ErrorCode.ChatMessageTooLong,
        'A message can be at most 2000 characters (this one has 2417)',
      ),
      errors: [{ field: 'body', message: 'body must be at most 2000 characters' }],
    },
    ...ACCESS_ERRORS,
  )
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: PostMessageDto,
  ): Promise<ChatMessage> {
    return (await this.chat.send(principal, { conversationId: id, clientId: dto.clientId, body: dto.body }))
      .message;
  }
}
