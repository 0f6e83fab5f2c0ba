import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { WebhookPathTokenGuard } from '../webhook-path-token.guard';
import { webhookParams } from '../webhook-params';
import { DeliveryReceiptsService } from './delivery-receipts.service';

/** Vonage's delivery-receipt (DLR) webhook, GET query or POST form/JSON like the inbound one. */
@Controller('webhooks/sms-status')
@UseGuards(WebhookPathTokenGuard)
export class DeliveryReceiptsController {
  constructor(private readonly receipts: DeliveryReceiptsService) {}

  @Get(['', ':token'])
  @HttpCode(204)
  async viaQuery(@Query() query: Record<string, unknown>): Promise<void> {
    await this.receipts.receive(webhookParams(query, undefined));
  }

  @Post(['', ':token'])
  @HttpCode(204)
  async viaBody(@Query() query: Record<string, unknown>, @Body() body: unknown): Promise<void> {
    await this.receipts.receive(webhookParams(query, body));
  }
}
