import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { EmailsRepository, type MailboxEmail } from './emails.repository';
import { Tag } from '../http/openapi';
import { SandboxAccessGuard } from '../sandbox/sandbox-access.guard';

@ApiSchema({ name: 'MailboxEmail' })
class MailboxEmailDto implements MailboxEmail {
  @ApiProperty({ example: '55' })
  id: string;

  @ApiProperty({ type: String, nullable: true, example: '311' })
  orderId: string | null;

  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  to: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  toName: string | null;

  @ApiProperty({ example: 'Your ACME order 311' })
  subject: string;

  @ApiProperty({ description: 'The rendered HTML body.', example: '<!doctype html><html>…</html>' })
  html: string;

  @ApiProperty({ description: 'The plain-text body.', example: 'Hello Ada Lovelace, …' })
  text: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-03T12:07:41.640Z' })
  createdAt: string;
}

/** What the sandbox mailbox shows: the emails the sandbox provider "sent", newest first, as rendered. */
@Controller('api/sandbox/emails')
@ApiTags(Tag.Sandbox)
@UseGuards(SandboxAccessGuard)
export class SandboxMailboxController {
  constructor(private readonly emails: EmailsRepository) {}

  @Get()
  @ApiOperation({
    summary: 'Sandbox mailbox',
    description:
      'Sandbox only (mounted without `SENDINBLUE_API_KEY`): the emails the sandbox provider "sent", newest first, ' +
      'rendered with the built-in confirmation template. No authentication outside production, where nothing ' +
      'in it is real; in production (`SANDBOX=true`) signed-in agents only, since each email carries a chat link.',
  })
  @ApiOkResponse({
    description: 'The latest 100 emails.',
    type: [MailboxEmailDto],
    example: [
      {
        id: '55',
        orderId: '311',
        to: 'ada@example.com',
        toName: 'Ada Lovelace',
        subject: 'Your ACME order 311',
        html: '<!doctype html><html>…</html>',
        text: 'Hello Ada Lovelace, …',
        createdAt: '2026-11-03T12:07:41.640Z',
      },
    ],
  })
  list(): Promise<MailboxEmail[]> {
    return this.emails.mailbox();
  }
}
