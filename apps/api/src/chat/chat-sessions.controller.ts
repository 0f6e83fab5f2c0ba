import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode, type ChatSessionResponse } from '@switchboard/contracts';
import { ApiErrors, Err, Tag } from '../http/openapi';
import { ChatSessionResponseDto, CreateChatSessionDto } from './chat-session.dto';
import { ChatSessionsService } from './chat-sessions.service';

@Controller('api/chat/session')
@ApiTags(Tag.Chat)
export class ChatSessionsController {
  constructor(private readonly sessions: ChatSessionsService) {}

  /** 401 with `chat/link_expired` or `chat/link_invalid` when the link cannot be trusted. */
  @Post()
  @HttpCode(200)
  // Public and unauthenticated: two a second per address is plenty for people, little for guessing.
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 120, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Open a chat session from the emailed link',
    description:
      'Trades the chat link (`/chat/<conversationId>/<orderId>?token=…`) for a 15-minute session token. ' +
      'Post the link again to renew, for as long as the link is valid (`CHAT_LINK_TTL_DAYS`). No authentication: ' +
      'the link is the credential.',
  })
  @ApiBody({ type: CreateChatSessionDto })
  @ApiOkResponse({
    description: 'The session.',
    type: ChatSessionResponseDto,
    example: {
      accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiY3VzdG9tZXIifQ.c2ln',
      expiresIn: 900,
      conversationId: '2087',
      customer: { id: '1042', name: 'Ada Lovelace' },
      transport: 'socket',
    },
  })
  @ApiErrors(
    Err.validation([
      { field: 'conversationId', message: 'conversationId must be the number in the chat link' },
    ]),
    Err.of(401, ErrorCode.ChatLinkExpired, 'This chat link expired on 2026-12-03'),
    Err.of(401, ErrorCode.ChatLinkInvalid, 'This chat link is not valid'),
    Err.of(
      503,
      ErrorCode.ChatProviderUnavailable,
      'The chat service is not reachable right now: try again in a minute',
      'Vonage Conversations mode, Vonage not reachable',
    ),
  )
  create(@Body() dto: CreateChatSessionDto): Promise<ChatSessionResponse> {
    return this.sessions.create(dto.conversationId, dto.token);
  }
}
