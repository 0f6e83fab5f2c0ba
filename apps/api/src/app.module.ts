import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { AgentAlertsModule } from './agent-alerts/agent-alerts.module';
import { VoiceModule } from './voice/voice.module';
import { AgentsModule } from './agents/agents.module';
import { AuthModule } from './auth/auth.module';
import { BuiltInChatProviderModule } from './chat/chat-provider';
import { ChatModule } from './chat/chat.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EmailModule } from './email/email.module';
import { HealthModule } from './health/health.module';
import { loggingModule } from './http/logging.module';
import { RateLimitModule } from './http/rate-limit.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrdersModule } from './orders/orders.module';
import { RealtimeModule } from './realtime/realtime.module';
import { SandboxModule } from './sandbox/sandbox.module';
import { SiteModule } from './site/site.module';
import { SmsModule } from './sms/sms.module';
import { TicketsModule } from './tickets/tickets.module';
import { UsersModule } from './users/users.module';
import { VonageConversationsModule } from './vonage-conversations/vonage-conversations.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        loggingModule(),
        DatabaseModule.forRoot(databaseUrl, config.pools.database),
        RateLimitModule,
        EmailModule.forRoot(config),
        JobsModule.forRoot(databaseUrl),
        AuthModule,
        RealtimeModule,
        MetricsModule,
        AgentsModule,
        HealthModule,
        SiteModule,
        SmsModule,
        AgentAlertsModule,
        UsersModule,
        OrdersModule,
        // The chat provider: Vonage Conversations when its application is configured, else the built-in one.
        config.conversations ? VonageConversationsModule : BuiltInChatProviderModule,
        ChatModule,
        TicketsModule,
        VoiceModule.forRoot(config),
        SandboxModule.forRoot(config),
      ],
    };
  }
}
