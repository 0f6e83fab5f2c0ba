import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@switchboard/contracts';
import { IsObject } from 'class-validator';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { ApiErrors, Err, Tag } from '../http/openapi';
import { computeSignature } from '../sms/webhook-signature';
import { SandboxAccessGuard } from './sandbox-access.guard';

const PARAMS_EXAMPLE = {
  msisdn: '447700900001',
  to: '447700900000',
  messageId: 'sandbox-4f1c2a',
  text: 'Where is my order?',
  type: 'text',
};

@ApiSchema({ name: 'SignWebhookRequest' })
class SignWebhookDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The webhook parameters to sign, every value a string as Vonage sends them.',
    example: PARAMS_EXAMPLE,
  })
  @IsObject({ message: 'params must be the webhook parameters, an object of strings' })
  params: Record<string, string>;
}

@ApiSchema({ name: 'SignedWebhook' })
class SignedWebhookDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The parameters to post, with `timestamp`, `nonce` and `sig` when signing is on.',
  })
  params: Record<string, string>;

  @ApiProperty({
    description: 'Whether `VONAGE_SIGNATURE_SECRET` is set (and so the params were signed).',
    example: true,
  })
  signed: boolean;
}

/**
 * Signs a webhook the way Vonage would, so the phone simulator (which has no secret) can post to the
 * real webhook. Mounted with the sandbox SMS provider; agents only in production (`SANDBOX=true`).
 */
@Controller('api/sandbox')
@ApiTags(Tag.Sandbox)
@UseGuards(SandboxAccessGuard)
export class SandboxWebhookSignerController {
  constructor(private readonly config: AppConfig) {}

  /** The params with `timestamp`, `nonce` and `sig` added when signing is on; unchanged otherwise. */
  @Post('sign-webhook')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign webhook parameters as Vonage would',
    description:
      'Sandbox only (mounted without `VONAGE_API_KEY`): lets the phone simulator post signed webhooks without ' +
      'knowing the secret. Adds `timestamp`, `nonce` and `sig` when `VONAGE_SIGNATURE_SECRET` is set. In production ' +
      '(`SANDBOX=true`) signed-in agents only.',
  })
  @ApiBody({ type: SignWebhookDto })
  @ApiOkResponse({
    description: 'The parameters to post.',
    type: SignedWebhookDto,
    example: {
      params: {
        ...PARAMS_EXAMPLE,
        timestamp: '1793707741',
        nonce: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
        sig: '72aa3e97330f37966042f0457e416c15',
      },
      signed: true,
    },
  })
  @ApiErrors(
    Err.validation([
      { field: 'params', message: 'params must be the webhook parameters, an object of strings' },
    ]),
  )
  sign(@Body() dto: SignWebhookDto): { params: Record<string, string>; signed: boolean } {
    const notText = Object.keys(dto.params).filter((key) => typeof dto.params[key] !== 'string');
    if (notText.length > 0) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.ValidationFailed,
        `Invalid ${notText.map((key) => `params.${key}`).join(', ')}`,
        notText.map((key) => ({ field: `params.${key}`, message: `params.${key} must be a string` })),
      );
    }
    const params = { ...dto.params };
    const { signature } = this.config;
    if (!signature) return { params, signed: false };
    const stamped = { ...params, timestamp: String(Math.floor(Date.now() / 1000)), nonce: randomUUID() };
    return {
      params: { ...stamped, sig: computeSignature(stamped, signature.secret, signature.method) },
      signed: true,
    };
  }
}
