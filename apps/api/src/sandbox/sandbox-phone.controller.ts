import { Controller, Get, HttpStatus, Param } from '@nestjs/common';
import { ErrorCode, type SandboxPhoneConversation } from '@switchboard/contracts';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { SandboxPhoneRepository } from './sandbox-phone.repository';

/**
 * What the phone simulator shows: a number's SMS with support, both ways, with delivery status.
 * Mounted only with the sandbox SMS provider, whose numbers are all pretend.
 */
@Controller('api/sandbox/phones')
export class SandboxPhoneController {
  constructor(
    private readonly config: AppConfig,
    private readonly phones: SandboxPhoneRepository,
  ) {}

  @Get(':number/messages')
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
