import { Global, Module } from '@nestjs/common';
import { ChatProvider } from '../chat/chat-provider';
import { AppConfig } from '../config/app-config';
import { ThreadModule } from '../thread/thread.module';
import { CONVERSATIONS_API } from './conversations-api';
import { RtcWebhookController } from './rtc-webhook.controller';
import { RtcWebhookTokenGuard } from './rtc-webhook-token.guard';
import { VonageChatProvider } from './vonage-chat-provider';
import { VonageConversationsApi } from './vonage-conversations-api';
import { VonageLinksRepository } from './vonage-links.repository';
import { VonageMirror } from './vonage-mirror';
import { VonageProvisioning } from './vonage-provisioning';
import { VonageSyncWorker } from './vonage-sync.worker';

/**
 * Vonage Conversations as the chat provider, for accounts that still have it (Vonage closed In-App
 * Messaging on 2026-04-30). Imported by the app module only when VONAGE_APPLICATION_ID is configured;
 * it binds the chat's `ChatProvider` port, and the chat core imports nothing from here.
 */
@Global()
@Module({
  imports: [ThreadModule],
  controllers: [RtcWebhookController],
  providers: [
    {
      provide: CONVERSATIONS_API,
      useFactory: (config: AppConfig) => {
        const vonage = config.conversations!;
        return new VonageConversationsApi({
          applicationId: vonage.applicationId,
          privateKey: vonage.privateKey,
          apiHost: vonage.apiHost,
        });
      },
      inject: [AppConfig],
    },
    VonageChatProvider,
    { provide: ChatProvider, useExisting: VonageChatProvider },
    VonageLinksRepository,
    VonageMirror,
    VonageProvisioning,
    VonageSyncWorker,
    RtcWebhookTokenGuard,
  ],
  exports: [ChatProvider],
})
export class VonageConversationsModule {}
