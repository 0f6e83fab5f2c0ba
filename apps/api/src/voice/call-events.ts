import { HttpStatus, Injectable, Optional } from '@nestjs/common';
import { type CallStatus, ENDED_CALL_STATUSES, ErrorCode, type FieldError } from '@switchboard/contracts';
import type { EntityManager } from 'typeorm';
import { ApiException } from '../http/api-exception';
import { WebhookNoncesRepository } from '../sms/webhook-nonces.repository';
import { ThreadService } from '../thread/thread.service';
import { Callbacks } from './callbacks.service';
import { type CallRow, CallsRepository, isEnded } from './calls.repository';
import { VoiceProvider, vonageNumber } from './voice-provider';
import type { VerifiedVoiceWebhook } from './voice-webhook-verifier';

/** The fields of a voice event webhook that matter here (Vonage sends more). */
export interface VoiceEvent {
  uuid: string;
  status: string;
  conversation_uuid?: string;
  to?: string;
  /** Seconds, as a string, on `completed`. */
  duration?: string | number;
  detail?: string;
}

export type EventOutcome = 'recorded' | 'duplicate' | 'ignored';

/** What a leg ends with (some carry a `detail`; `completed` the talk time). */
const ENDINGS: ReadonlySet<string> = new Set(ENDED_CALL_STATUSES);

/**
 * A call's events from the provider (Vonage, or the sandbox's network), verified by the controller:
 * each (leg, status) is applied once, under the call's row lock, and what a person would want to know
 * becomes a `call` event in the thread: the customer's phone ringing and answered, the agent's phone
 * ringing and connected (or not), and the outcome with the talk time.
 */
@Injectable()
export class CallEvents {
  constructor(
    private readonly calls: CallsRepository,
    private readonly callbacks: Callbacks,
    private readonly thread: ThreadService,
    private readonly nonces: WebhookNoncesRepository,
    /** Absent without voice configured (then no webhook reaches this). */
    @Optional() private readonly provider?: VoiceProvider,
  ) {}

  /**
   * An event at the application's own event URL: a browser call's leg reports there (Vonage made that
   * leg for the application); anything else there (a call to the support number) is acknowledged.
   */
  async applyToApplication(body: unknown, signed: VerifiedVoiceWebhook): Promise<EventOutcome> {
    const event = parse(body);
    const callId = await this.calls.idByLeg(event.uuid, event.conversation_uuid);
    return callId ? this.apply(callId, body, signed) : 'ignored';
  }

  async apply(callId: string, body: unknown, signed: VerifiedVoiceWebhook): Promise<EventOutcome> {
    const event = parse(body);
    const outcome = await this.calls.transaction(async (manager) => {
      const call = await this.calls.byId(callId, manager, true);
      const leg = call && legOf(call, event);
      if (!call || !leg || !sameConversation(call, leg, event)) {
        throw new ApiException(
          HttpStatus.NOT_FOUND,
          ErrorCode.CallNotFound,
          `No call ${callId} with this leg and conversation_uuid`,
        );
      }
      if (!(await this.nonces.claimOnce(manager, `voice:${signed.jti}`, signed.payloadHash))) {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.WebhookReplayed,
          'This signed webhook was received before',
        );
      }
      await this.calls.setIds(
        manager,
        call.id,
        leg === 'customer'
          ? { conversationUuid: event.conversation_uuid, customerLeg: event.uuid }
          : call.kind === 'browser'
            ? { agentConversationUuid: event.conversation_uuid, agentLeg: event.uuid }
            : { conversationUuid: event.conversation_uuid, agentLeg: event.uuid },
      );
      if (!(await this.calls.recordEvent(manager, call.id, event.uuid, event.status))) {
        return { outcome: 'duplicate' as const, ids: [], ticketId: call.ticketId, hangUp: null };
      }
      const ids =
        leg === 'customer'
          ? await this.customerStep(manager, call, event)
          : await this.agentStep(manager, call, event);
      // A browser call has no NCCO to go on with when the agent's phone does not take it: end it.
      const hangUp =
        leg === 'agent' && call.kind === 'browser' && ids.length > 0 && ENDINGS.has(event.status)
          ? call.customerLeg
          : null;
      return {
        outcome: ids.length > 0 ? ('recorded' as const) : ('ignored' as const),
        ids,
        ticketId: call.ticketId,
        hangUp,
      };
    });
    if (outcome.ids.length > 0) await this.thread.announce(outcome.ticketId, outcome.ids);
    if (outcome.hangUp) await this.provider?.hangUp(outcome.hangUp).catch(() => undefined);
    return outcome.outcome;
  }

  private async customerStep(manager: EntityManager, call: CallRow, event: VoiceEvent): Promise<string[]> {
    if (isEnded(call.status)) return [];
    const status = event.status;
    if (status === 'ringing' && call.status === 'requested' && call.customerPhone) {
      await this.calls.setStatus(manager, call.id, 'ringing');
      return [
        await this.callbacks.event(manager, call, {
          leg: 'customer',
          status: 'ringing',
          phone: call.customerPhone,
        }),
      ];
    }
    if (status === 'answered' && (call.status === 'requested' || call.status === 'ringing')) {
      await this.calls.setStatus(manager, call.id, 'answered');
      return [await this.callbacks.event(manager, call, { leg: 'customer', status: 'answered' })];
    }
    if (!ENDINGS.has(status)) return [];
    const durationSeconds =
      status === 'completed'
        ? (seconds(event.duration) ?? (await this.calls.secondsConnected(manager, call.id)))
        : 0;
    const detail = event.detail ?? null;
    await this.calls.setStatus(manager, call.id, status as CallStatus, { detail, durationSeconds });
    return [
      await this.callbacks.event(manager, call, {
        leg: 'customer',
        status: status as CallStatus,
        durationSeconds,
        detail,
      }),
    ];
  }

  private async agentStep(manager: EntityManager, call: CallRow, event: VoiceEvent): Promise<string[]> {
    if (isEnded(call.status)) return [];
    const status = event.status;
    if (status === 'ringing' && call.status !== 'connected') {
      return [await this.callbacks.event(manager, call, { leg: 'agent', status: 'ringing' })];
    }
    if (status === 'answered' && call.status !== 'connected') {
      await this.calls.setStatus(manager, call.id, 'connected');
      return [await this.callbacks.event(manager, call, { leg: 'agent', status: 'answered' })];
    }
    // The agent's phone did not take the call: the customer hears the apology, then their leg ends.
    if (ENDINGS.has(status) && status !== 'completed' && call.status !== 'connected') {
      return [
        await this.callbacks.event(manager, call, {
          leg: 'agent',
          status: status as CallStatus,
          detail: event.detail ?? null,
        }),
      ];
    }
    return [];
  }
}

/**
 * Which phone the event is about: by the leg's id once known, else by the number it went to (a
 * browser call's own leg is known from its answer URL call only).
 */
function legOf(call: CallRow, event: VoiceEvent): 'customer' | 'agent' | undefined {
  if (event.uuid === call.customerLeg) return 'customer';
  if (event.uuid === call.agentLeg) return 'agent';
  const to = event.to === undefined ? undefined : vonageNumber(event.to);
  if (!call.customerLeg && call.customerPhone && to === vonageNumber(call.customerPhone)) return 'customer';
  if (!call.agentLeg && to === vonageNumber(call.agentPhone)) return 'agent';
  return undefined;
}

/** The event's conversation is the leg's: the call's, or for a browser call's agent its own call's. */
function sameConversation(call: CallRow, leg: 'customer' | 'agent', event: VoiceEvent): boolean {
  const known =
    leg === 'agent' && call.kind === 'browser' ? call.agentConversationUuid : call.conversationUuid;
  return !known || !event.conversation_uuid || known === event.conversation_uuid;
}

function seconds(value: string | number | undefined): number | undefined {
  const n = typeof value === 'number' ? value : Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
}

/** The event's fields, or 400 naming each one that is missing or mistyped. */
function parse(body: unknown): VoiceEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiException(
      HttpStatus.BAD_REQUEST,
      ErrorCode.ValidationFailed,
      'The body must be a JSON object',
    );
  }
  const fields = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const name of ['uuid', 'status'] as const) {
    if (typeof fields[name] !== 'string' || fields[name] === '' || (fields[name] as string).length > 200)
      errors.push({
        field: name,
        message: `${name} is required: the call leg's ${name === 'uuid' ? 'id' : 'status'}`,
      });
  }
  for (const name of ['conversation_uuid', 'to', 'detail'] as const) {
    if (fields[name] !== undefined && fields[name] !== null && typeof fields[name] !== 'string')
      errors.push({ field: name, message: `${name} must be text` });
  }
  const duration = fields.duration;
  if (
    duration !== undefined &&
    duration !== null &&
    typeof duration !== 'string' &&
    typeof duration !== 'number'
  )
    errors.push({ field: 'duration', message: 'duration must be a number of seconds' });
  if (errors.length > 0) {
    const names = errors.map((error) => error.field).join(', ');
    throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Invalid ${names}`, errors);
  }
  return {
    uuid: fields.uuid as string,
    status: fields.status as string,
    conversation_uuid: (fields.conversation_uuid as string | null) ?? undefined,
    to: (fields.to as string | null) ?? undefined,
    duration: (duration as string | number | null) ?? undefined,
    detail: (fields.detail as string | null) ?? undefined,
  };
}
