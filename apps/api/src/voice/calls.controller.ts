import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  ApiTags,
} from '@nestjs/swagger';
import {
  type BrowserCallSession,
  type CallOptions,
  type CallRequest,
  type CallStatus,
  type CallView,
  ENDED_CALL_STATUSES,
  ErrorCode,
  type PlacedCall,
} from '@switchboard/contracts';
import { IsIn, IsOptional } from 'class-validator';
import { AccessTokenGuard, CurrentPrincipal } from '../auth/access-token.guard';
import type { Principal } from '../auth/access-tokens';
import { ApiErrors, Auth, Err, Tag } from '../http/openapi';
import { Callbacks } from './callbacks.service';

const STATUSES: CallStatus[] = ['requested', 'ringing', 'answered', 'connected', ...ENDED_CALL_STATUSES];

@ApiSchema({ name: 'Call' })
class CallDto implements CallView {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ enum: STATUSES, example: 'ringing' })
  status: CallStatus;

  @ApiProperty({
    enum: ['phone', 'browser'],
    description:
      '`phone`: Switchboard calls the customer back; `browser`: the customer calls from the chat page.',
  })
  via: 'phone' | 'browser';

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: "The customer's number Switchboard calls, E.164 (null for a call from the browser).",
    example: '+447700900001',
  })
  phone: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Talk time in seconds, once over.',
    example: null,
  })
  durationSeconds: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

@ApiSchema({ name: 'CallOptions' })
class CallOptionsDto implements CallOptions {
  @ApiProperty({ description: 'Whether the page may offer "Call us" now.' })
  available: boolean;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'No agent can take a call right now: write to us here instead',
  })
  reason: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: "The number on the customer's record.",
    example: '+447700900001',
  })
  phone: string | null;

  @ApiPropertyOptional({ type: CallDto, nullable: true, description: 'The call not over yet.' })
  call: CallView | null;

  @ApiProperty({
    type: 'string',
    enum: ['vonage', 'sandbox'],
    nullable: true,
    description:
      'The customer may call from the browser too: through the Vonage Client SDK (a web build with ' +
      'VITE_VOICE_CLIENT=true), simulated by the sandbox, or not (null).',
  })
  browser: 'vonage' | 'sandbox' | null;
}

@ApiSchema({ name: 'CallRequest' })
class CallRequestDto implements CallRequest {
  @ApiPropertyOptional({ enum: ['phone', 'browser'], default: 'phone' })
  @IsOptional()
  @IsIn(['phone', 'browser'], { message: 'via must be phone or browser' })
  via?: 'phone' | 'browser';
}

@ApiSchema({ name: 'BrowserCallSession' })
class BrowserCallSessionDto implements BrowserCallSession {
  @ApiProperty({ description: "The Vonage Client SDK's session JWT (`createSession`)." })
  token: string;

  @ApiProperty({ description: 'Pass as `serverCall({ callToken })`; valid two minutes, once.' })
  callToken: string;
}

@ApiSchema({ name: 'PlacedCall' })
class PlacedCallDto extends CallDto implements PlacedCall {
  @ApiProperty({
    type: BrowserCallSessionDto,
    nullable: true,
    description: 'For a browser call through Vonage: what the Client SDK needs; otherwise null.',
  })
  session: BrowserCallSession | null;
}

const CONVERSATION_PARAM = {
  name: 'id',
  description: 'The conversation id (from the chat link).',
  example: '2087',
};
const ACCESS_ERRORS = [
  ...Err.accessToken(),
  Err.of(403, ErrorCode.Forbidden, 'This is not your conversation'),
  Err.of(404, ErrorCode.ConversationNotFound, 'No conversation 2087'),
];

/** "Call us" on the chat page: whether it is offered, the call back, and hanging it up. */
@Controller('api/chat/conversations/:id/calls')
@UseGuards(AccessTokenGuard)
@ApiTags(Tag.Chat)
@ApiBearerAuth(Auth.ChatSession)
export class CallsController {
  constructor(private readonly callbacks: Callbacks) {}

  @Get()
  @ApiOperation({
    summary: 'Whether a call back is possible',
    description:
      'Voice configured (or the sandbox) and an agent on duty with a mobile outside their quiet hours; the number ' +
      "on the customer's record a call would go to; the call going on, if any.",
  })
  @ApiParam(CONVERSATION_PARAM)
  @ApiOkResponse({
    type: CallOptionsDto,
    example: {
      available: true,
      reason: null,
      phone: '+447700900001',
      call: null,
      browser: 'sandbox',
    } satisfies CallOptions,
  })
  @ApiErrors(...ACCESS_ERRORS)
  options(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<CallOptions> {
    return this.callbacks.options(principal, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Call me back, or call from the browser',
    description:
      "`via: phone` (the default) calls the number on the customer's record (never another) and connects the " +
      "call to the agent on duty. `via: browser` starts a call from the chat page: through Vonage the answer's " +
      '`session` is for the Client SDK (`createSession(token)`, `serverCall({ callToken })`); the sandbox ' +
      "simulates the browser's leg. Each step shows in the thread as a `call` event. One call at a time, at " +
      'most `VOICE_CALLS_PER_HOUR` an hour.',
  })
  @ApiParam(CONVERSATION_PARAM)
  @ApiBody({ type: CallRequestDto, required: false })
  @ApiCreatedResponse({
    description: 'The call, on its way: its steps follow in the thread.',
    type: PlacedCallDto,
    example: {
      id: '42',
      status: 'requested',
      via: 'phone',
      phone: '+447700900001',
      durationSeconds: null,
      createdAt: '2026-12-05T10:12:00.000Z',
      session: null,
    } satisfies PlacedCall,
  })
  @ApiErrors(
    ...ACCESS_ERRORS,
    Err.of(403, ErrorCode.Forbidden, 'Only the customer can ask to be called'),
    Err.of(409, ErrorCode.CallUnavailable, 'No agent can take a call right now: write to us here instead'),
    Err.of(409, ErrorCode.CallNoPhone, 'We have no phone number for you: write to us here instead'),
    Err.of(409, ErrorCode.CallInProgress, 'A call is already on its way'),
    Err.of(422, ErrorCode.CallDestinationBlocked, 'We cannot call numbers in your country'),
    Err.of(429, ErrorCode.CallLimitReached, 'At most 3 calls an hour: write to us here, or try again later'),
  )
  request(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: CallRequestDto = {},
  ): Promise<PlacedCall> {
    return this.callbacks.request(principal, id, body?.via ?? 'phone');
  }

  @Delete(':callId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Hang up',
    description:
      'Ends the call (cancelled while ringing); its end shows in the thread once the network reports it.',
  })
  @ApiParam(CONVERSATION_PARAM)
  @ApiParam({ name: 'callId', example: '42' })
  @ApiNoContentResponse({ description: 'Hung up, or over already.' })
  @ApiErrors(...ACCESS_ERRORS, Err.of(404, ErrorCode.CallNotFound, 'No call 42 in this conversation'))
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('callId') callId: string,
  ): Promise<void> {
    await this.callbacks.cancel(principal, id, callId);
  }
}
