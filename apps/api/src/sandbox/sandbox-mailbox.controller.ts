import { Controller, Get } from '@nestjs/common';
import { EmailsRepository, type MailboxEmail } from '../email/emails.repository';

/** What the sandbox mailbox shows: the emails the sandbox provider "sent", newest first, as rendered. */
@Controller('api/sandbox/emails')
export class SandboxMailboxController {
  constructor(private readonly emails: EmailsRepository) {}

  @Get()
  list(): Promise<MailboxEmail[]> {
    return this.emails.mailbox();
  }
}
