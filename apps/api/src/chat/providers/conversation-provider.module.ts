import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ThreadModule } from '../../thread/thread.module';
import { ConversationOutbox } from './conversation-outbox';
import { CONVERSATION_PROVIDER, type ConversationProvider } from './conversation-provider';
import { VonageConversationProvider } from './vonage.conversation-provider';

/** A Vonage application id and key select Vonage Conversations; without them, none (the built-in chat). */
function conversationProvider(config: AppConfig): ConversationProvider | null {
  const vonage = config.conversations;
  if (!vonage) return null;
  return new VonageConversationProvider({
    applicationId: vonage.applicationId,
    privateKey: vonage.privateKey,
    apiHost: vonage.apiHost,
  });
}

/** The chat provider and its outbox, for every module that stores something a provider must hear about. */
@Module({
  imports: [ThreadModule],
  providers: [
    { provide: CONVERSATION_PROVIDER, useFactory: conversationProvider, inject: [AppConfig] },
    ConversationOutbox,
  ],
  exports: [CONVERSATION_PROVIDER, ConversationOutbox],
})
export class ConversationProviderModule {}
