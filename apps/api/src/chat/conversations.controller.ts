import {
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UseGuards,
  DefaultValuePipe,
} from '@nestjs/common';
import type { ChatMessage, ConversationView } from '@switchboard/contracts';
import { IsString } from 'class-validator';
import { AccessTokenGuard, CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { ChatService } from './chat.service';

class PostMessageDto {
  @IsString({ message: 'clientId is required: a UUID the client made for this message' })
  clientId: string;

  @IsString({ message: 'body is required' })
  body: string;
}

/** The chat over HTTP: what the page loads first, and sending for clients without a socket. */
@Controller('api/chat/conversations')
@UseGuards(AccessTokenGuard)
export class ConversationsController {
  constructor(private readonly chat: ChatService) {}

  @Get(':id')
  view(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
    @Query('beforeSeq', new DefaultValuePipe(undefined)) beforeSeq?: string,
    /** The order the page is about, included even when older than the latest fifty. */
    @Query('orderId', new DefaultValuePipe(undefined)) orderId?: string,
  ): Promise<ConversationView> {
    const before = beforeSeq === undefined ? undefined : Number(beforeSeq);
    return this.chat.view(
      principal,
      id,
      Math.min(Math.max(limit, 1), 500),
      Number.isInteger(before) ? before : undefined,
      orderId,
    );
  }

  @Post(':id/messages')
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: PostMessageDto,
  ): Promise<ChatMessage> {
    return (await this.chat.send(principal, { conversationId: id, clientId: dto.clientId, body: dto.body }))
      .message;
  }
}
