import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@switchboard/contracts';
import { ApiErrors, Err, type ErrorExample, Tag } from '../../http/openapi';
import { ServerToServer } from '../../http/server-to-server';
import { WebhookPathTokenGuard } from '../webhook-path-token.guard';
import { webhookParams } from '../webhook-params';
import { DeliveryReceiptParams } from './delivery-receipt.params';
import { DeliveryReceiptsService } from './delivery-receipts.service';

const ABOUT =
  "Set as the SMS API's delivery-receipt webhook in the Vonage dashboard: `https://<host>/webhooks/sms-status` " +
  '(when `PUBLIC_URL` is https, each SMS also asks for its receipt there). With `WEBHOOK_PATH_TOKEN` set, only ' +
  '`…/sms-status/<WEBHOOK_PATH_TOKEN>` answers. Idempotent and forward-only; a receipt that arrives before the ' +
  'send was recorded is matched by `client-ref` or `messageId` later.';

const RECEIPT_ERRORS: ErrorExample[] = [
  Err.validation([{ field: 'messageId', message: 'messageId is required' }], 'A required parameter missing'),
  Err.of(401, ErrorCode.Unauthorized, 'Webhook signature rejected: sig does not match', 'Wrong signature'),
  Err.of(401, ErrorCode.Unauthorized, 'Webhook rejected: api-key is not ours', 'Unsigned, foreign api-key'),
  Err.of(404, ErrorCode.NotFound, 'Not Found', 'Path token missing or wrong (WEBHOOK_PATH_TOKEN)'),
];

const RECEIPT = {
  msisdn: '447700900001',
  to: '447700900000',
  'network-code': '23410',
  messageId: '0A0000000123ABCD2',
  price: '0.03330000',
  status: 'delivered',
  scts: '2611031209',
  'err-code': '0',
  'api-key': 'abcd1234',
  'client-ref': '90421',
  'message-timestamp': '2026-11-03 12:09:05',
};

/** Vonage's delivery-receipt (DLR) webhook, GET query or POST form/JSON like the inbound one. */
@Controller('webhooks/sms-status')
@UseGuards(WebhookPathTokenGuard)
@ApiTags(Tag.Webhooks)
export class DeliveryReceiptsController {
  constructor(private readonly receipts: DeliveryReceiptsService) {}

  @Get(['', ':token'])
  @HttpCode(204)
  @ServerToServer()
  @ApiOperation({
    summary: 'SMS delivery receipt — GET (webhook format "GET")',
    description: `${ABOUT} In this format every parameter is a query parameter.`,
  })
  @ApiQuery({ type: DeliveryReceiptParams })
  @ApiNoContentResponse({ description: 'Recorded (or already recorded).' })
  @ApiErrors(RECEIPT_ERRORS)
  async viaQuery(@Query() query: Record<string, unknown>): Promise<void> {
    await this.receipts.receive(webhookParams(query, undefined));
  }

  @Post(['', ':token'])
  @HttpCode(204)
  @ServerToServer()
  @ApiOperation({
    summary: 'SMS delivery receipt — POST form or JSON (webhook formats "POST" and "POST-JSON")',
    description: `${ABOUT} In these formats the parameters are the body, form-encoded or JSON.`,
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({
    type: DeliveryReceiptParams,
    examples: {
      delivered: { summary: 'Delivered', value: RECEIPT },
      failed: {
        summary: 'Failed: absent subscriber',
        value: { ...RECEIPT, messageId: '0A0000000123ABCD4', status: 'failed', 'err-code': '3' },
      },
    },
  })
  @ApiNoContentResponse({ description: 'Recorded (or already recorded).' })
  @ApiErrors(RECEIPT_ERRORS, Err.mediaType())
  async viaBody(@Query() query: Record<string, unknown>, @Body() body: unknown): Promise<void> {
    await this.receipts.receive(webhookParams(query, body));
  }
}
