import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppSettingsRepository } from '../settings/app-settings.repository';
import { AccessTokenGuard } from './access-token.guard';
import { AdminGuard } from './admin.guard';
import { AgentGuard } from './agent.guard';
import { AccessTokens } from './access-tokens';
import { ChatLinks } from './chat-links';
import { InstanceSecrets } from './instance-secrets';
import { IntegrationTokenGuard } from './integration-token.guard';
import { SessionRevocations } from './session-revocations';

@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [
    AppSettingsRepository,
    InstanceSecrets,
    IntegrationTokenGuard,
    ChatLinks,
    AccessTokens,
    AccessTokenGuard,
    AgentGuard,
    AdminGuard,
    SessionRevocations,
  ],
  exports: [
    InstanceSecrets,
    IntegrationTokenGuard,
    ChatLinks,
    AccessTokens,
    AccessTokenGuard,
    AgentGuard,
    AdminGuard,
    SessionRevocations,
    JwtModule,
  ],
})
export class AuthModule {}
