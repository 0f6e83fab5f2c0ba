import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiSchema,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode } from '@switchboard/contracts';
import { ApiErrors, Err, Tag } from '../http/openapi';
import type { WithRawBody } from '../http/raw-body';
import { ServerToServer } from '../http/server-to-server';
import { AppConfig } from '../config/app-config';
import { CallEvents, type EventOutcome } from './call-events';
import { BrowserCallTokens } from './browser-call-tokens';
import { Callbacks } from './callbacks.service';
import { browserCallNcco, type NccoAction } from './voice-provider';
import { VoiceWebhookVerifier } from './voice-webhook-verifier';

@ApiSchema({ name: 'VoiceEventOutcome' })
class VoiceEventOutcomeDto {
  @ApiProperty({
    enum: ['recorded', 'duplicate', 'ignored'],
    description:
      '`duplicate`: this leg reported this status before; `ignored`: nothing for the thread (e.g. `started`).',
  })
  outcome: EventOutcome;
}

/** The answer URL's documented answers, GET or POST: its NCCO, or 401 for a signature that fails. */
const AnswerResponses = () =>
  applyDecorators(
    ApiOkResponse({
      description: 'The NCCO (for anyone but a browser call: a message, then the call ends).',
      schema: { type: 'array', items: { type: 'object', additionalProperties: true } },
      example: [{ action: 'talk', text: 'Thank you for calling ACME Support. …', language: 'en-GB' }],
    }),
    ApiHeader({
      name: 'Authorization',
      description: 'Bearer <JWT signed by Vonage>, when signed',
      required: false,
    }),
    ApiErrors(
      Err.of(
        401,
        ErrorCode.Unauthorized,
        'Voice webhook rejected: the token is not signed with our signature secret',
      ),
    ),
  );

/**
 * The Voice API's event webhook for the calls Switchboard places. Each call's `event_url` (and its
 * connect action's) names the call; Vonage signs every event with a JWT made with the signature
 * secret, checked before anything else.
 */
@Controller()
@ApiTags(Tag.Webhooks)
export class VoiceWebhookController {
  constructor(
    private readonly config: AppConfig,
    private readonly verifier: VoiceWebhookVerifier,
    private readonly events: CallEvents,
    private readonly tokens: BrowserCallTokens,
    private readonly callbacks: Callbacks,
  ) {}

  @Get('webhooks/voice/answer')
  @ServerToServer()
  @ApiOperation({
    summary: 'Voice answer URL: browser calls, and calls to the support number',
    description:
      "The Vonage application's answer URL (GET, or POST below). A browser call (the Client SDK's " +
      '`serverCall({ callToken })`, whose token arrives in `custom_data`) joins its named conversation, where ' +
      "the agent's call meets it: the first leg with a genuine token only. Anyone else, and people who call the " +
      'support number, hear that support is by text message and chat. The NCCO holds no number. A signed ' +
      'request (`Authorization: Bearer <JWT>`) must verify (401 otherwise); Vonage asking again for the ' +
      'same leg gets the same NCCO.',
  })
  @AnswerResponses()
  answer(
    @Query() query: Record<string, unknown>,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<NccoAction[]> {
    // Signed (Vonage's docs do not say the answer URL always is): the signature must hold.
    if (authorization !== undefined) this.verifier.verify(authorization, undefined, { bodyless: true });
    return this.answerFor(query);
  }

  @Post('webhooks/voice/answer')
  @ServerToServer({ rawBody: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Voice answer URL, POST',
    description: 'As the GET, for an application set to POST.',
  })
  @AnswerResponses()
  answerPost(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: WithRawBody,
  ): Promise<NccoAction[]> {
    if (authorization !== undefined) this.verifier.verify(authorization, request.rawBody);
    return this.answerFor(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {});
  }

  @Post('webhooks/voice/events')
  @ServerToServer({ rawBody: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Voice event URL of the application',
    description:
      'Events of calls to the support number (answered by the message above): verified like every voice ' +
      'webhook, then acknowledged. The calls Switchboard places report to their own URL.',
  })
  @ApiHeader({ name: 'Authorization', description: 'Bearer <JWT signed by Vonage>', required: true })
  @ApiOkResponse({ type: VoiceEventOutcomeDto, example: { outcome: 'ignored' } })
  @ApiErrors(Err.of(401, ErrorCode.Unauthorized, 'Voice webhook rejected: no Bearer token in Authorization'))
  async applicationEvent(
    @Headers('authorization') authorization: string | undefined,
    @Req() request: WithRawBody,
  ): Promise<VoiceEventOutcomeDto> {
    const signed = this.verifier.verify(authorization, request.rawBody);
    return { outcome: await this.events.applyToApplication(request.body, signed) };
  }

  /**
   * A browser call's leg (the Client SDK's `serverCall`, whose `custom_data` carries our call token):
   * the first leg with a genuine token joins its call's conversation, where the agent's call meets it.
   * Anyone else (a caller of the support number, a token spent or forged) hears where to write.
   */
  private async answerFor(fields: Record<string, unknown>): Promise<NccoAction[]> {
    const callId = this.tokens.verify(callTokenOf(fields.custom_data));
    const leg = typeof fields.uuid === 'string' && fields.uuid.length <= 200 ? fields.uuid : undefined;
    const conversation =
      typeof fields.conversation_uuid === 'string' && fields.conversation_uuid.length <= 200
        ? fields.conversation_uuid
        : null;
    if (callId && leg && (await this.callbacks.browserLegAnswered(callId, leg, conversation))) {
      return browserCallNcco(this.config.companyName, callId);
    }
    return this.inboundNcco();
  }

  private inboundNcco(): NccoAction[] {
    return [
      {
        action: 'talk',
        text:
          `Thank you for calling ${this.config.companyName} Support. We answer by text message and in chat: ` +
          'send us a text message at this number, or write to us from the chat link in your order email. Goodbye.',
        language: 'en-GB',
      },
    ];
  }

  @Post('webhooks/voice/calls/:callId/events')
  @ServerToServer({ rawBody: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Voice call events',
    description:
      'Set per call by Switchboard (no dashboard setting needed). Vonage posts JSON with `Authorization: Bearer ' +
      '<JWT>`, HS256 with `VONAGE_SIGNATURE_SECRET`, whose `payload_hash` is the SHA-256 of the body. Each leg ' +
      'and status is recorded once; a token is accepted once; events of another call are refused.',
  })
  @ApiParam({ name: 'callId', description: 'The call, as Switchboard placed it.', example: '42' })
  @ApiHeader({ name: 'Authorization', description: 'Bearer <JWT signed by Vonage>', required: true })
  @ApiBody({
    schema: { type: 'object', additionalProperties: true, required: ['uuid', 'status'] },
    examples: {
      answered: {
        summary: 'The customer answered',
        value: {
          uuid: '63f61863-4a51-4f6b-86e1-46edebcf9356',
          conversation_uuid: 'CON-f972836a-550f-45fa-956c-12a2ab5b7d22',
          status: 'answered',
          direction: 'outbound',
          from: '447700900000',
          to: '447700900001',
          timestamp: '2026-12-05T10:12:03.000Z',
        },
      },
      completed: {
        summary: 'The call ended',
        value: {
          uuid: '63f61863-4a51-4f6b-86e1-46edebcf9356',
          conversation_uuid: 'CON-f972836a-550f-45fa-956c-12a2ab5b7d22',
          status: 'completed',
          duration: '125',
          to: '447700900001',
        },
      },
    },
  })
  @ApiOkResponse({ type: VoiceEventOutcomeDto, example: { outcome: 'recorded' } })
  @ApiErrors(
    Err.validation([{ field: 'status', message: "status is required: the call leg's status" }]),
    Err.of(401, ErrorCode.Unauthorized, 'Voice webhook rejected: payload_hash does not match the body'),
    Err.of(404, ErrorCode.CallNotFound, 'No call 42 with this conversation_uuid'),
    Err.of(409, ErrorCode.WebhookReplayed, 'This signed webhook was received before'),
  )
  async event(
    @Param('callId') callId: string,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: WithRawBody,
  ): Promise<VoiceEventOutcomeDto> {
    const signed = this.verifier.verify(authorization, request.rawBody);
    return { outcome: await this.events.apply(callId, request.body, signed) };
  }
}

/** `custom_data` as the Client SDK sends it: a JSON string with GET, an object with POST. */
function callTokenOf(customData: unknown): unknown {
  let data = customData;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      return undefined;
    }
  }
  return typeof data === 'object' && data !== null ? (data as { callToken?: unknown }).callToken : undefined;
}
