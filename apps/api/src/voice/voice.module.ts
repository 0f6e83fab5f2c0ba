import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { ChatModule } from '../chat/chat.module';
import { AppConfig } from '../config/app-config';
import { SandboxAccessGuard } from '../sandbox/sandbox-access.guard';
import { SmsModule } from '../sms/sms.module';
import { ThreadModule } from '../thread/thread.module';
import { BrowserCallTokens } from './browser-call-tokens';
import { CallEvents } from './call-events';
import { Callbacks } from './callbacks.service';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { SandboxCallsController } from './sandbox-calls.controller';
import { SandboxVoiceNetwork } from './sandbox-voice-network';
import { VoiceProvider } from './voice-provider';
import { VoiceWebhookController } from './voice-webhook.controller';
import { VoiceWebhookVerifier } from './voice-webhook-verifier';
import { VonageVoiceProvider } from './vonage.voice-provider';

/**
 * Click-to-call ("call me back" from the chat page). Owns `calls`, `call_events` and the sandbox's
 * simulated legs; the thread's events are the thread core's, the agents' availability the agents
 * module's, webhook nonces the SMS module's. Without voice configured only the options route is
 * served, and it says calls are not available.
 */
@Module({})
export class VoiceModule {
  static forRoot(config: AppConfig): DynamicModule {
    const voice = config.voice;
    const base = {
      module: VoiceModule,
      imports: [AgentsModule, ChatModule, SmsModule, ThreadModule],
    };
    if (!voice) {
      return {
        ...base,
        controllers: [CallsController],
        providers: [CallsRepository, Callbacks, BrowserCallTokens],
      };
    }
    const provider: Provider =
      voice.provider === 'vonage'
        ? {
            provide: VoiceProvider,
            useFactory: () => new VonageVoiceProvider(voice.application, voice.userPrefix),
          }
        : { provide: VoiceProvider, useExisting: SandboxVoiceNetwork };
    return {
      ...base,
      controllers: [
        CallsController,
        VoiceWebhookController,
        ...(voice.provider === 'sandbox' ? [SandboxCallsController] : []),
      ],
      providers: [
        CallsRepository,
        Callbacks,
        CallEvents,
        BrowserCallTokens,
        VoiceWebhookVerifier,
        provider,
        ...(voice.provider === 'sandbox' ? [SandboxVoiceNetwork, SandboxAccessGuard] : []),
      ],
    };
  }
}
