import { Module } from '@nestjs/common';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';
import { ChatSessionsController } from './chat-sessions.controller';
import { ChatSessionsService } from './chat-sessions.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';
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
  imports: [ConversationProviderModule],
  controllers: [ChatSessionsController, ConversationsController, RtcWebhookController],
  providers: [
    ChatSessionsService,
    ChatService,
    ChatGateway,
    SocketSessions,
    ConversationsRepository,
    RtcWebhookTokenGuard,
    VonageLinksRepository,
    VonageMirror,
    VonageProvisioning,
    VonageSyncWorker,
  ],
  exports: [ChatService],
})
export class ChatModule {}
