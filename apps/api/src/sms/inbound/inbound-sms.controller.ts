import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { WebhookPathTokenGuard } from '../webhook-path-token.guard';
import { webhookParams } from '../webhook-params';
import { InboundSmsService } from './inbound-sms.service';

/**
 * Vonage's inbound-SMS webhook, in whichever of its three formats the account is set to (GET query,
 * POST form, POST JSON), at our path and at the tutorial's `/support`. 204 only once stored.
 */
@Controller()
@UseGuards(WebhookPathTokenGuard)
export class InboundSmsController {
  constructor(private readonly inbound: InboundSmsService) {}

  @Get(['webhooks/inbound-sms', 'webhooks/inbound-sms/:token', 'support', 'support/:token'])
  @HttpCode(204)
  async viaQuery(@Query() query: Record<string, unknown>): Promise<void> {
    await this.inbound.receive(webhookParams(query, undefined));
  }

  @Post(['webhooks/inbound-sms', 'webhooks/inbound-sms/:token', 'support', 'support/:token'])
  @HttpCode(204)
  async viaBody(@Query() query: Record<string, unknown>, @Body() body: unknown): Promise<void> {
    await this.inbound.receive(webhookParams(query, body));
  }
}
