import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { SandboxAccessGuard } from './sandbox-access.guard';
import { SandboxIntegrationTokenController } from './sandbox-integration-token.controller';
import { SandboxPhoneController } from './sandbox-phone.controller';
import { SandboxPhoneRepository } from './sandbox-phone.repository';
import { SandboxWebhookSignerController } from './sandbox-webhook-signer.controller';

/**
 * The API behind the sandbox pages, one part per provider that is not configured: the phone simulator
 * (and the webhook signer it posts with) while SMS go to the sandbox provider, the demo shop's token
 * while email does (the mailbox's own API is the email module's, mounted then too). Nothing of it
 * exists once both real providers are configured, and in production only with SANDBOX=true, for
 * signed-in agents (`SandboxAccessGuard`).
 */
@Module({})
export class SandboxModule {
  static forRoot(config: AppConfig): DynamicModule {
    const sandbox = config.sandbox;
    if (!sandbox) return { module: SandboxModule };
    return {
      module: SandboxModule,
      controllers: [
        ...(sandbox.phone ? [SandboxPhoneController, SandboxWebhookSignerController] : []),
        // Production never serves the integration token over HTTP, not even to agents.
        ...(sandbox.mailbox && !sandbox.agentsOnly ? [SandboxIntegrationTokenController] : []),
      ],
      providers: [SandboxAccessGuard, ...(sandbox.phone ? [SandboxPhoneRepository] : [])],
    };
  }
}
