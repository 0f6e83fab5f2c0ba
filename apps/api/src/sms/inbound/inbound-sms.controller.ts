import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@switchboard/contracts';
import { ApiErrors, Err, type ErrorExample, Tag } from '../../http/openapi';
import { ServerToServer } from '../../http/server-to-server';
import { WebhookPathTokenGuard } from '../webhook-path-token.guard';
import { webhookParams } from '../webhook-params';
import { InboundSmsParams } from './inbound-sms.params';
import { InboundSmsService } from './inbound-sms.service';

const ROUTES = ['webhooks/inbound-sms', 'webhooks/inbound-sms/:token', 'support', 'support/:token'];

const ABOUT =
  "Set as the SMS API's inbound webhook in the Vonage dashboard: `https://<host>/webhooks/inbound-sms` " +
  "(`/support` is the seed tutorial's path, same handler). With `WEBHOOK_PATH_TOKEN` set, only " +
  '`…/inbound-sms/<WEBHOOK_PATH_TOKEN>` answers. Answers 204 only once the message is stored (a retry of a ' +
  'stored `messageId` is a 204 that changes nothing); the first message of a conversation opens a ticket and ' +
  'queues one confirmation SMS. Parts of a multipart SMS are held until all arrived.';

/** The errors every SMS webhook can answer; Vonage retries only 429 and 5xx. */
const WEBHOOK_ERRORS: ErrorExample[] = [
  Err.validation(
    [{ field: 'msisdn', message: "msisdn is required: the sender's number" }],
    'A required parameter missing',
  ),
  Err.validation(
    [{ field: 'text', message: 'text must be a single text value' }],
    'A JSON value that is an object',
  ),
  Err.of(401, ErrorCode.Unauthorized, 'Webhook signature rejected: sig does not match', 'Wrong signature'),
  Err.of(
    401,
    ErrorCode.Unauthorized,
    'Webhook signature rejected: timestamp is more than 5 minutes away from now',
    'Stale timestamp',
  ),
  Err.of(
    401,
    ErrorCode.Unauthorized,
    'Webhook signature rejected: this nonce was already used by another request',
    'Nonce replayed',
  ),
  Err.of(401, ErrorCode.Unauthorized, 'Webhook rejected: api-key is not ours', 'Unsigned, foreign api-key'),
  Err.of(404, ErrorCode.NotFound, 'Not Found', 'Path token missing or wrong (WEBHOOK_PATH_TOKEN)'),
];

const STORED = { description: 'Stored (or already stored: a retry changes nothing).' };

const JSON_EXAMPLES = {
  single: {
    summary: 'One SMS (unsigned account)',
    value: {
      msisdn: '447700900001',
      to: '447700900000',
      messageId: '0A0000000123ABCD1',
      text: 'Where is my order?',
      type: 'text',
      keyword: 'WHERE',
      'api-key': 'abcd1234',
      'message-timestamp': '2026-11-03 12:09:01',
    },
  },
  signed: {
    summary: 'Signed (VONAGE_SIGNATURE_SECRET set)',
    value: {
      msisdn: '447700900001',
      to: '447700900000',
      messageId: '0A0000000123ABCD1',
      text: 'Where is my order?',
      type: 'text',
      keyword: 'WHERE',
      'api-key': 'abcd1234',
      'message-timestamp': '2026-11-03 12:09:01',
      timestamp: '1793707741',
      nonce: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
      sig: '<md5 or HMAC hex over the other parameters>',
    },
  },
  part: {
    summary: 'Part 1 of 2 of a long SMS',
    value: {
      msisdn: '447700900001',
      to: '447700900000',
      messageId: '0A0000000123ABCD3',
      text: 'My order 311 arrived with the gadget missing and the box was damaged, could you ',
      type: 'text',
      'api-key': 'abcd1234',
      'message-timestamp': '2026-11-03 12:10:00',
      concat: 'true',
      'concat-ref': '2A',
      'concat-total': '2',
      'concat-part': '1',
    },
  },
};

/**
 * Vonage's inbound-SMS webhook, in whichever of its three formats the account is set to (GET query,
 * POST form, POST JSON), at our path and at the tutorial's `/support`. 204 only once stored.
 */
@Controller()
@UseGuards(WebhookPathTokenGuard)
@ApiTags(Tag.Webhooks)
export class InboundSmsController {
  constructor(private readonly inbound: InboundSmsService) {}

  @Get(ROUTES)
  @HttpCode(204)
  @ServerToServer()
  @ApiOperation({
    summary: 'Inbound SMS — GET (webhook format "GET")',
    description: `${ABOUT} In this format every parameter is a query parameter.`,
  })
  @ApiQuery({ type: InboundSmsParams })
  @ApiNoContentResponse(STORED)
  @ApiErrors(WEBHOOK_ERRORS)
  async viaQuery(@Query() query: Record<string, unknown>): Promise<void> {
    await this.inbound.receive(webhookParams(query, undefined));
  }

  @Post(ROUTES)
  @HttpCode(204)
  @ServerToServer()
  @ApiOperation({
    summary: 'Inbound SMS — POST form or JSON (webhook formats "POST" and "POST-JSON")',
    description: `${ABOUT} In these formats the parameters are the body, form-encoded or JSON.`,
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: InboundSmsParams, examples: JSON_EXAMPLES })
  @ApiNoContentResponse(STORED)
  @ApiErrors(WEBHOOK_ERRORS, Err.mediaType())
  async viaBody(@Query() query: Record<string, unknown>, @Body() body: unknown): Promise<void> {
    await this.inbound.receive(webhookParams(query, body));
  }
}
