import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { InstanceSecrets } from '../auth/instance-secrets';
import { AppConfig } from '../config/app-config';
import { ApiErrors, Err, Tag } from '../http/openapi';
import { computeSignature } from '../sms/webhook-signature';

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
    description: 'The webhook parameters to sign (values are turned into text).',
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

@ApiSchema({ name: 'IntegrationToken' })
class IntegrationTokenDto {
  @ApiProperty({
    description: "This installation's `API_TOKEN`.",
    example: 'sb_Xq3f9K2mVt7Lw1Rb8Np4Zc6Hs0Dy5GeA',
  })
  token: string;
}

/**
 * What the sandbox pages need to act like the outside world: sign a webhook the way Vonage would
 * (the page has no secret), and the shop's integration token. Mounted only in sandbox mode, where
 * nothing real can be reached with either.
 */
@Controller('api/sandbox')
@ApiTags(Tag.Sandbox)
export class SandboxToolsController {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: InstanceSecrets,
  ) {}

  /** The params with `timestamp`, `nonce` and `sig` added when signing is on; unchanged otherwise. */
  @Post('sign-webhook')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign webhook parameters as Vonage would',
    description:
      'Sandbox only (no real SMS or email provider): lets the phone simulator post signed webhooks without ' +
      'knowing the secret. Adds `timestamp`, `nonce` and `sig` when `VONAGE_SIGNATURE_SECRET` is set.',
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
    const params = Object.fromEntries(Object.entries(dto.params).map(([key, value]) => [key, String(value)]));
    const { signature } = this.config;
    if (!signature) return { params, signed: false };
    const stamped = { ...params, timestamp: String(Math.floor(Date.now() / 1000)), nonce: randomUUID() };
    return {
      params: { ...stamped, sig: computeSignature(stamped, signature.secret, signature.method) },
      signed: true,
    };
  }

  @Get('integration-token')
  @ApiOperation({
    summary: 'The integration token',
    description:
      "Sandbox only: the shop simulator's `API_TOKEN`. Never mounted with a real provider, where the token " +
      'could reach something real.',
  })
  @ApiOkResponse({
    description: 'The token.',
    type: IntegrationTokenDto,
    example: { token: 'sb_Xq3f9K2mVt7Lw1Rb8Np4Zc6Hs0Dy5GeA' },
  })
  token(): { token: string } {
    return { token: this.secrets.integrationToken };
  }
}
