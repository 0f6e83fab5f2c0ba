import { Controller, Get, HttpStatus, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import {
  ErrorCode,
  type SandboxPhoneConversation,
  type SandboxPhoneMessage,
  type SmsDirection,
  type SmsStatus,
} from '@switchboard/contracts';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { ApiErrors, Err, Tag } from '../http/openapi';
import { SandboxAccessGuard } from './sandbox-access.guard';
import { SandboxPhoneRepository } from './sandbox-phone.repository';

@ApiSchema({ name: 'SandboxPhoneMessage' })
class SandboxPhoneMessageDto implements SandboxPhoneMessage {
  @ApiProperty({ example: '90421' })
  id: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null: an SMS to an agent’s mobile about no ticket (its confirmation code).',
    example: '2088',
  })
  ticketId: string | null;

  @ApiProperty({
    enum: ['in', 'out'],
    example: 'out',
    description: '`in`: the phone sent it; `out`: support did.',
  })
  direction: SmsDirection;

  @ApiProperty({
    example:
      'Dear customer, your support request has been registered. Your ticket number is 2088. ' +
      'We intend to get back to any support requests within 24h.',
  })
  body: string;

  @ApiProperty({
    enum: ['received', 'queued', 'submitted', 'sent', 'delivered', 'failed', 'suppressed'],
    example: 'delivered',
  })
  status: SmsStatus;

  @ApiProperty({ type: String, nullable: true, example: null })
  error: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-03T12:09:02.301Z' })
  createdAt: string;
}

@ApiSchema({ name: 'SandboxPhoneConversation' })
class SandboxPhoneConversationDto implements SandboxPhoneConversation {
  @ApiProperty({ description: 'E.164 with `+`.', example: '+447700900001' })
  number: string;

  @ApiProperty({ example: '+447700900000' })
  supportNumber: string;

  @ApiProperty({ type: [SandboxPhoneMessageDto], description: 'Oldest first.' })
  messages: SandboxPhoneMessageDto[];
}

/**
 * What the phone simulator shows: a number's SMS with support, both ways, with delivery status.
 * Mounted only with the sandbox SMS provider, whose numbers are all pretend.
 */
@Controller('api/sandbox/phones')
@ApiTags(Tag.Sandbox)
@UseGuards(SandboxAccessGuard)
export class SandboxPhoneController {
  constructor(
    private readonly config: AppConfig,
    private readonly phones: SandboxPhoneRepository,
  ) {}

  @Get(':number/messages')
  @ApiOperation({
    summary: "Sandbox phone: a number's SMS",
    description:
      'Sandbox only (mounted without `VONAGE_API_KEY`): what the phone simulator shows, both ways, with delivery ' +
      'status. Send as the phone by posting to the inbound webhook. Numbers ending in `0666` simulate an ' +
      'unreachable phone. No authentication outside production, where every number is pretend; in production ' +
      '(`SANDBOX=true`) signed-in agents only.',
  })
  @ApiParam({ name: 'number', description: 'International format, `+` optional.', example: '447700900001' })
  @ApiOkResponse({
    description: 'The conversation.',
    type: SandboxPhoneConversationDto,
    example: {
      number: '+447700900001',
      supportNumber: '+447700900000',
      messages: [
        {
          id: '90420',
          ticketId: '2088',
          direction: 'in',
          body: 'Where is my order?',
          status: 'received',
          error: null,
          createdAt: '2026-11-03T12:09:02.117Z',
        },
        {
          id: '90421',
          ticketId: '2088',
          direction: 'out',
          body:
            'Dear customer, your support request has been registered. Your ticket number is 2088. ' +
            'We intend to get back to any support requests within 24h.',
          status: 'delivered',
          error: null,
          createdAt: '2026-11-03T12:09:02.301Z',
        },
      ],
    },
  })
  @ApiErrors(
    Err.validation([
      {
        field: 'number',
        message: 'number must be a phone number in international format, e.g. 447700900001',
      },
    ]),
  )
  async conversation(@Param('number') number: string): Promise<SandboxPhoneConversation> {
    const digits = number.replace(/^\+/, '');
    if (!/^[1-9]\d{6,14}$/.test(digits)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid number', [
        {
          field: 'number',
          message: 'number must be a phone number in international format, e.g. 447700900001',
        },
      ]);
    }
    return {
      number: `+${digits}`,
      supportNumber: this.config.supportNumber,
      messages: await this.phones.conversation(`+${digits}`),
    };
  }
}
