import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { webhookParams } from '../webhook-params';
import { DeliveryReceiptsService } from './delivery-receipts.service';

/** Vonage's delivery-receipt (DLR) webhook, GET query or POST form/JSON like the inbound one. */
@Controller('webhooks/sms-status')
export class DeliveryReceiptsController {
  constructor(private readonly receipts: DeliveryReceiptsService) {}

  @Get()
  @HttpCode(204)
  async viaQuery(@Query() query: Record<string, unknown>): Promise<void> {
    await this.receipts.receive(webhookParams(query, undefined));
  }

  @Post()
  @HttpCode(204)
  async viaBody(@Query() query: Record<string, unknown>, @Body() body: unknown): Promise<void> {
    await this.receipts.receive(webhookParams(query, body));
  }
}
