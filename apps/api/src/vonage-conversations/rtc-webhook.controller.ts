import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode } from '@switchboard/contracts';
import { ApiErrors, Err, Tag } from '../http/openapi';
import { ServerToServer } from '../http/server-to-server';
import { RtcWebhookTokenGuard } from './rtc-webhook-token.guard';
import { type MirrorOutcome, VonageMirror } from './vonage-mirror';

@ApiSchema({ name: 'RtcWebhookOutcome' })
class RtcWebhookOutcomeDto {
  @ApiProperty({
    enum: ['stored', 'duplicate', 'ignored'],
    description:
      '`duplicate`: this event id was stored before (a retry); `ignored`: not something we mirror.',
  })
  outcome: 'stored' | 'duplicate' | 'ignored';

  @ApiPropertyOptional({ example: 'event type member:joined' })
  reason?: string;
}

/**
 * Vonage's RTC `event_url`, for Vonage Conversations mode: what the customer posts in the Vonage
 * conversation is stored in ours. Vonage does not sign these calls: the URL's token is the credential.
 */
@Controller()
@UseGuards(RtcWebhookTokenGuard)
@ApiTags(Tag.Webhooks)
export class RtcWebhookController {
  constructor(private readonly mirror: VonageMirror) {}

  @Post('webhooks/rtc/:token')
  @ServerToServer()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Vonage Conversations RTC events',
    description:
      "Set as the Vonage application's RTC event URL (method POST): `https://<host>/webhooks/rtc/<VONAGE_RTC_WEBHOOK_TOKEN>`. " +
      'Only served with Vonage Conversations configured. Text (`text`, `message`) and custom events the customer ' +
      'posts are stored in their conversation, once per Vonage event id; other event types are acknowledged and ' +
      'ignored. Vonage In-App Messaging was discontinued on 2026-04-30: this serves accounts that still have it.',
  })
  @ApiParam({ name: 'token', description: 'VONAGE_RTC_WEBHOOK_TOKEN.', example: 'k3Y9m2Qx7VbN4pLw' })
  @ApiBody({
    schema: { type: 'object', additionalProperties: true },
    examples: {
      message: {
        summary: 'A text the customer sent with nexmo-client',
        value: {
          id: 5,
          type: 'message',
          from: 'MEM-63f61863-4a51-4f6b-86e1-46edeb200391',
          body: { message_type: 'text', text: 'Is my order on its way?' },
          timestamp: '2026-11-03T12:09:01.117Z',
          conversation_id: 'CON-bc643220-2542-499a-892e-c982c4bd7e3b',
          application_id: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
          _embedded: { from_user: { id: 'USR-82e028d9-5201-4f1e-8188-604b2d3471ec' } },
        },
      },
    },
  })
  @ApiOkResponse({
    description: 'Acknowledged: stored, already stored, or ignored.',
    type: RtcWebhookOutcomeDto,
    example: { outcome: 'stored' },
  })
  @ApiErrors(
    Err.validation([{ field: 'body.text', message: 'body.text must be the text of the message' }]),
    Err.malformedJson(),
    Err.of(
      404,
      ErrorCode.NotFound,
      'Not Found',
      'Token missing or wrong, or Vonage Conversations not configured',
    ),
    Err.mediaType(),
  )
  receive(@Body() body: unknown): Promise<MirrorOutcome> {
    return this.mirror.receive(body);
  }
}
