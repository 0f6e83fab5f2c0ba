import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CreateChatSessionDto } from './chat-session.dto';
import type { ChatSessionResponse } from '@switchboard/contracts';
import { ChatSessionsService } from './chat-sessions.service';

@Controller('api/chat/session')
export class ChatSessionsController {
  constructor(private readonly sessions: ChatSessionsService) {}

  /** 401 with `chat/link_expired` or `chat/link_invalid` when the link cannot be trusted. */
  @Post()
  @HttpCode(200)
  create(@Body() dto: CreateChatSessionDto): Promise<ChatSessionResponse> {
    return this.sessions.create(dto.conversationId, dto.token);
  }
}
