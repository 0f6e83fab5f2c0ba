import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SandboxAccessGuard } from '../sandbox/sandbox-access.guard';
import { EmailWorker } from './email.worker';
import { EmailsRepository } from './emails.repository';
import { OrderConfirmationEmails } from './order-confirmation-emails';
import { BrevoEmailProvider } from './providers/brevo.email-provider';
import { EMAIL_PROVIDER, type EmailProvider } from './providers/email-provider';
import { SandboxEmailProvider } from './providers/sandbox.email-provider';
import { SandboxMailboxController } from './sandbox-mailbox.controller';

/** A Sendinblue/Brevo key selects Brevo; without one, the sandbox mailbox. */
function emailProvider(config: AppConfig): EmailProvider {
  if (!config.sendinblue) return new SandboxEmailProvider(config.companyName);
  return new BrevoEmailProvider({
    apiKey: config.sendinblue.apiKey,
    baseUrl: config.sendinblue.apiUrl,
    sender: { email: config.sendinblue.fromEmail, name: config.sendinblue.fromName },
  });
}

/**
 * Transactional email: its table, its worker, its provider, and the sandbox mailbox's page API when
 * the sandbox provider stands in for Brevo. Other modules see one door: `OrderConfirmationEmails`.
 */
@Module({})
export class EmailModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EmailModule,
      global: true,
      controllers: config.sandbox?.mailbox ? [SandboxMailboxController] : [],
      providers: [
        { provide: EMAIL_PROVIDER, useFactory: emailProvider, inject: [AppConfig] },
        EmailsRepository,
        EmailWorker,
        OrderConfirmationEmails,
        SandboxAccessGuard,
      ],
      exports: [OrderConfirmationEmails],
    };
  }
}
