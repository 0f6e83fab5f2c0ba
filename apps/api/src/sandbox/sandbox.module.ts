import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { EmailModule } from '../email/email.module';
import { SandboxMailboxController } from './sandbox-mailbox.controller';
import { SandboxPhoneController } from './sandbox-phone.controller';
import { SandboxPhoneRepository } from './sandbox-phone.repository';
import { SandboxToolsController } from './sandbox-tools.controller';

/**
 * The API behind the sandbox pages: the phone simulator while SMS go to the sandbox provider, the
 * mailbox while email does. Neither exists once the real provider is configured.
 */
@Module({})
export class SandboxModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SandboxModule,
      imports: config.sendinblue ? [] : [EmailModule],
      controllers: [
        ...(config.vonage ? [] : [SandboxPhoneController]),
        ...(config.sendinblue ? [] : [SandboxMailboxController]),
        ...(config.sandbox ? [SandboxToolsController] : []),
      ],
      providers: config.vonage ? [] : [SandboxPhoneRepository],
    };
  }
}
