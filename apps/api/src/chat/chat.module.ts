import { Module } from '@nestjs/common';
import { ThreadModule } from '../thread/thread.module';
import { ChatConversations } from './chat-conversations';
import { ChatGateway } from './chat.gateway';
import { ChatReplyChannel } from './chat-reply-channel';
import { ChatService } from './chat.service';
import { ChatSessionsController } from './chat-sessions.controller';
import { ChatSessionsService } from './chat-sessions.service';
import { ConversationsController } from './conversations.controller';
import { ConversationProviderModule } from './providers/conversation-provider.module';
import { SocketSessions } from './socket-sessions';
import { RtcWebhookController } from './vonage/rtc-webhook.controller';
import { RtcWebhookTokenGuard } from './vonage/rtc-webhook-token.guard';
import { VonageLinksRepository } from './vonage/vonage-links.repository';
import { VonageMirror } from './vonage/vonage-mirror';
import { VonageProvisioning } from './vonage/vonage-provisioning';
import { VonageSyncWorker } from './vonage/vonage-sync.worker';

/** The built-in chat, and Vonage Conversations behind it when configured (its parts idle otherwise). */
@Module({
  imports: [ThreadModule, ConversationProviderModule],
  controllers: [ChatSessionsController, ConversationsController, RtcWebhookController],
  providers: [
    ChatSessionsService,
    ChatService,
    ChatConversations,
    ChatGateway,
    SocketSessions,
    ChatReplyChannel,
    RtcWebhookTokenGuard,
    VonageLinksRepository,
    VonageMirror,
    VonageProvisioning,
    VonageSyncWorker,
  ],
  exports: [ChatService, ChatConversations],
})
export class ChatModule {}
