import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IsObject } from 'class-validator';
import { InstanceSecrets } from '../auth/instance-secrets';
import { AppConfig } from '../config/app-config';
import { computeSignature } from '../sms/webhook-signature';

class SignWebhookDto {
  @IsObject({ message: 'params must be the webhook parameters, an object of strings' })
  params: Record<string, string>;
}

/**
 * What the sandbox pages need to act like the outside world: sign a webhook the way Vonage would
 * (the page has no secret), and the shop's integration token. Mounted only in sandbox mode, where
 * nothing real can be reached with either.
 */
@Controller('api/sandbox')
export class SandboxToolsController {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: InstanceSecrets,
  ) {}

  /** The params with `timestamp`, `nonce` and `sig` added when signing is on; unchanged otherwise. */
  @Post('sign-webhook')
  @HttpCode(200)
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
  token(): { token: string } {
    return { token: this.secrets.integrationToken };
  }
}
