import { Module } from '@nestjs/common';
import { AgentAlertsModule } from '../agent-alerts/agent-alerts.module';
import { ThreadModule } from '../thread/thread.module';
import { ChatConversations } from './chat-conversations';
import { ChatGateway } from './chat.gateway';
import { ChatReplyChannel } from './chat-reply-channel';
import { ChatService } from './chat.service';
import { ChatSessionsController } from './chat-sessions.controller';
import { ChatSessionsService } from './chat-sessions.service';
import { ConversationsController } from './conversations.controller';
import { SocketSessions } from './socket-sessions';

/**
 * The live chat: sessions from chat links, the socket gateway, the REST routes, and the customer's
 * conversation for other modules. Who carries the customer's side is the `ChatProvider` the app module
 * binds: the built-in one, or an external provider module.
 */
@Module({
  imports: [ThreadModule, AgentAlertsModule],
  controllers: [ChatSessionsController, ConversationsController],
  providers: [
    ChatSessionsService,
    ChatService,
    ChatConversations,
    ChatGateway,
    SocketSessions,
    ChatReplyChannel,
  ],
  exports: [ChatService, ChatConversations],
})
export class ChatModule {}
