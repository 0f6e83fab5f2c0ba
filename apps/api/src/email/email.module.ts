import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EmailWorker } from './email.worker';
import { EmailsRepository } from './emails.repository';
import { BrevoEmailProvider } from './providers/brevo.email-provider';
import { EMAIL_PROVIDER, type EmailProvider } from './providers/email-provider';
import { SandboxEmailProvider } from './providers/sandbox.email-provider';

/** A Sendinblue/Brevo key selects Brevo; without one, the sandbox mailbox. */
function emailProvider(config: AppConfig): EmailProvider {
  if (!config.sendinblue) return new SandboxEmailProvider(config.companyName);
  return new BrevoEmailProvider({
    apiKey: config.sendinblue.apiKey,
    baseUrl: config.sendinblue.apiUrl,
    sender: { email: config.sendinblue.fromEmail, name: config.sendinblue.fromName },
  });
}

@Module({
  providers: [
    { provide: EMAIL_PROVIDER, useFactory: emailProvider, inject: [AppConfig] },
    EmailsRepository,
    EmailWorker,
  ],
  exports: [EMAIL_PROVIDER, EmailsRepository],
})
export class EmailModule {}
