import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppSettingsRepository } from '../settings/app-settings.repository';
import { AccessTokenGuard } from './access-token.guard';
import { AgentGuard } from './agent.guard';
import { AccessTokens } from './access-tokens';
import { ChatLinks } from './chat-links';
import { InstanceSecrets } from './instance-secrets';
import { IntegrationTokenGuard } from './integration-token.guard';

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
  ],
  exports: [
    InstanceSecrets,
    IntegrationTokenGuard,
    ChatLinks,
    AccessTokens,
    AccessTokenGuard,
    AgentGuard,
    JwtModule,
  ],
})
export class AuthModule {}
