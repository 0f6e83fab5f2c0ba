import { Module } from '@nestjs/common';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { ChatSessionsController } from './chat-sessions.controller';
import { ChatSessionsService } from './chat-sessions.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';

@Module({
  controllers: [ChatSessionsController, ConversationsController],
  providers: [ChatSessionsService, ChatService, ChatGateway, ConversationsRepository],
  exports: [ChatService],
})
export class ChatModule {}
