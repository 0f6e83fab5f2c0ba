import { HttpStatus, Injectable, Logger, Optional } from '@nestjs/common';
import { type CallEventPayload, type CallOptions, ErrorCode, type PlacedCall } from '@switchboard/contracts';
import type { EntityManager } from 'typeorm';
import { AgentAvailabilityRepository, type AlertableAgent } from '../agents/agent-availability.repository';
import type { Principal } from '../auth/access-tokens';
import { ChatService } from '../chat/chat.service';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { destinationBlocked } from '../sms/destination-country';
import { ThreadService } from '../thread/thread.service';
import { type CallRow, CallsRepository, callView, isEnded } from './calls.repository';
import { BrowserCallTokens } from './browser-call-tokens';
import { agentJoinNcco, callbackNcco, VoiceCallError, VoiceProvider } from './voice-provider';

/** Seconds each phone rings: the customer's, then the agent's. */
const CUSTOMER_RINGING_SECONDS = 30;
const AGENT_RINGING_SECONDS = 25;
/** The longest a call may last. */
const MAX_CALL_SECONDS = 3600;

/**
 * "Call me back" from the chat page: Switchboard calls the number on the customer's record (theirs:
 * never one typed in) and, once they answer, connects them to the agent on duty. One call at a time
 * per conversation, at most VOICE_CALLS_PER_HOUR an hour, never to or from a number outside
 * SMS_ALLOWED_COUNTRIES. What happens next arrives through the signed event webhook (`CallEvents`).
 */
@Injectable()
export class Callbacks {
  private readonly logger = new Logger(Callbacks.name);

  constructor(
    private readonly config: AppConfig,
    private readonly chat: ChatService,
    private readonly calls: CallsRepository,
    private readonly agents: AgentAvailabilityRepository,
    private readonly thread: ThreadService,
    private readonly tokens: BrowserCallTokens,
    /** Absent without voice configured: nothing is ever placed then. */
    @Optional() private readonly provider?: VoiceProvider,
  ) {}

  async options(principal: Principal, conversationId: string): Promise<CallOptions> {
    const conversation = await this.chat.authorize(principal, conversationId);
    const phone = await this.calls.customerPhone(conversation.customerId);
    const call = await this.calls.current(conversationId);
    const agent = this.config.voice ? await this.agentFor(this.calls.reader, null) : undefined;
    const reason = !this.config.voice
      ? 'Calls are not available'
      : !agent
        ? 'No agent can take a call right now: write to us here instead'
        : null;
    const browser =
      reason === null ? (this.config.voice!.provider === 'vonage' ? 'vonage' : 'sandbox') : null;
    return { available: reason === null, reason, phone, call: call ? callView(call) : null, browser };
  }

  /** The customer asks to be called back; agents cannot place calls from the chat. */
  async request(
    principal: Principal,
    conversationId: string,
    via: 'phone' | 'browser' = 'phone',
  ): Promise<PlacedCall> {
    const conversation = await this.chat.authorize(principal, conversationId);
    if (principal.role !== 'customer') {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.Forbidden,
        'Only the customer can ask to be called',
      );
    }
    const voice = this.config.voice;
    if (!voice) throw unavailable('Calls are not available');
    const phone = via === 'phone' ? await this.calls.customerPhone(conversation.customerId) : null;
    if (via === 'phone' && !phone) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.CallNoPhone,
        'We have no phone number for you: write to us here instead',
      );
    }
    if (phone && destinationBlocked(phone, this.config.sms.allowedCountries)) {
      throw new ApiException(
        HttpStatus.UNPROCESSABLE_ENTITY,
        ErrorCode.CallDestinationBlocked,
        'We cannot call numbers in your country',
      );
    }
    const { call, eventId } = await this.calls.transaction(async (manager) => {
      await this.calls.lockConversation(manager, conversationId);
      if (await this.calls.current(conversationId, manager)) {
        throw new ApiException(HttpStatus.CONFLICT, ErrorCode.CallInProgress, 'A call is already on its way');
      }
      if ((await this.calls.countLastHour(manager, conversationId)) >= voice.callsPerHour) {
        throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          ErrorCode.CallLimitReached,
          `At most ${voice.callsPerHour} calls an hour: write to us here, or try again later`,
        );
      }
      const agent = await this.agentFor(manager, conversationId);
      if (!agent) throw unavailable('No agent can take a call right now: write to us here instead');
      const call = await this.calls.create(manager, {
        ticketId: conversationId,
        customerId: conversation.customerId,
        agentId: agent.id,
        kind: via === 'phone' ? 'callback' : 'browser',
        customerPhone: phone,
        agentPhone: agent.mobile,
        provider: this.provider!.name,
      });
      const eventId = await this.event(manager, call, {
        status: 'requested',
        leg: 'customer',
        ...(phone ? { phone } : {}),
      });
      return { call, eventId };
    });
    await this.thread.announce(conversationId, [eventId]);
    const session = via === 'phone' ? await this.place(call) : await this.startBrowserCall(call);
    return { ...callView((await this.calls.byId(call.id))!), session };
  }

  /**
   * Vonage (or the sandbox) asked our answer URL for the browser leg carrying this call's token: the
   * first such leg is the customer's, the call is answered, and the agent's phone is called into the
   * named conversation. False for a token already spent or a call no longer waiting.
   */
  async browserLegAnswered(callId: string, leg: string, conversationUuid: string | null): Promise<boolean> {
    const answered = await this.calls.transaction(async (manager) => {
      if (!(await this.calls.bindBrowserLeg(manager, callId, leg, conversationUuid))) {
        // Vonage asking again for the same leg (its first answer lost): the same NCCO, nothing twice.
        const bound = await this.calls.byId(callId, manager);
        return bound?.kind === 'browser' && bound.customerLeg === leg && !isEnded(bound.status)
          ? ('again' as const)
          : undefined;
      }
      const call = (await this.calls.byId(callId, manager, true))!;
      await this.calls.setStatus(manager, callId, 'answered');
      return { call, eventId: await this.event(manager, call, { leg: 'customer', status: 'answered' }) };
    });
    if (!answered) return false;
    if (answered === 'again') return true;
    await this.thread.announce(answered.call.ticketId, [answered.eventId]);
    // Not awaited: the answer URL must answer within Vonage's few seconds, and the NCCO does not need it.
    void this.callAgentInto(answered.call);
    return true;
  }

  /** Hangs up the conversation's call; its end comes back as an event like any other. */
  async cancel(principal: Principal, conversationId: string, callId: string): Promise<void> {
    await this.chat.authorize(principal, conversationId);
    const call = await this.calls.byId(callId);
    if (!call || call.ticketId !== conversationId) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.CallNotFound,
        `No call ${callId} in this conversation`,
      );
    }
    const legs = [call.customerLeg, call.agentLeg].filter((leg): leg is string => leg !== null);
    if (legs.length === 0) {
      // Nothing rings yet (a browser call whose page never placed it): over now, and the thread says so.
      const eventId = await this.calls.transaction(async (manager) => {
        const waiting = await this.calls.byId(callId, manager, true);
        if (!waiting || waiting.customerLeg || !['requested', 'ringing'].includes(waiting.status))
          return undefined;
        await this.calls.setStatus(manager, callId, 'cancelled', { durationSeconds: 0 });
        return this.event(manager, waiting, { leg: 'customer', status: 'cancelled' });
      });
      if (eventId) await this.thread.announce(conversationId, [eventId]);
      return;
    }
    for (const leg of legs) {
      await this.provider!.hangUp(leg).catch((error: unknown) => {
        throw new ApiException(
          HttpStatus.BAD_GATEWAY,
          ErrorCode.Internal,
          `The call could not be hung up: ${String((error as Error).message)}`,
        );
      });
    }
  }

  /** Records a step of `call` in the conversation's thread, seen by the customer and the agents. */
  event(
    manager: EntityManager,
    call: CallRow,
    step: Omit<CallEventPayload, 'type' | 'callId'>,
  ): Promise<string> {
    const payload: CallEventPayload = { type: 'call', callId: call.id, agentName: call.agentName, ...step };
    return this.thread.appendEvent(manager, {
      ticketId: call.ticketId,
      direction: 'out',
      authorId: null,
      payload: payload as unknown as Record<string, unknown>,
    });
  }

  private async place(call: CallRow): Promise<null> {
    const eventUrl = this.eventUrl(call.id);
    try {
      const placed = await this.provider!.place({
        to: call.customerPhone!,
        from: this.config.supportNumber,
        eventUrl,
        ringingSeconds: CUSTOMER_RINGING_SECONDS,
        maxSeconds: MAX_CALL_SECONDS,
        ncco: callbackNcco({
          companyName: this.config.companyName,
          agentPhone: call.agentPhone,
          from: this.config.supportNumber,
          eventUrl,
          agentRingingSeconds: AGENT_RINGING_SECONDS,
          maxSeconds: MAX_CALL_SECONDS,
        }),
      });
      await this.calls.placed(call.id, placed.legId, placed.conversationId);
    } catch (error) {
      await this.failed(call, 'customer', error);
    }
    return null;
  }

  private async startBrowserCall(call: CallRow): Promise<PlacedCall['session']> {
    const callToken = this.tokens.sign(call.id);
    try {
      const session = await this.provider!.startBrowserCall({
        customerId: call.customerId,
        callToken,
        answerPath: '/webhooks/voice/answer',
        eventPath: '/webhooks/voice/events',
      });
      return session ? { token: session.token, callToken } : null;
    } catch (error) {
      await this.failed(call, 'customer', error);
      return null;
    }
  }

  /** A browser call's agent leg: the agent's phone, into the customer's conversation. */
  private async callAgentInto(call: CallRow): Promise<void> {
    try {
      const placed = await this.provider!.place({
        to: call.agentPhone,
        from: this.config.supportNumber,
        eventUrl: this.eventUrl(call.id),
        ringingSeconds: AGENT_RINGING_SECONDS,
        maxSeconds: MAX_CALL_SECONDS,
        ncco: agentJoinNcco(call.id),
      });
      await this.calls.transaction((manager) =>
        this.calls.setIds(manager, call.id, {
          agentLeg: placed.legId,
          agentConversationUuid: placed.conversationId,
        }),
      );
    } catch (error) {
      await this.failed(call, 'agent', error);
      if (call.customerLeg) await this.provider!.hangUp(call.customerLeg).catch(() => undefined);
    }
  }

  eventUrl(callId: string): string {
    return `${this.config.publicUrl}/webhooks/voice/calls/${callId}/events`;
  }

  /** The provider refused or could not be reached: the call failed, and the thread says why. */
  private async failed(call: CallRow, leg: 'customer' | 'agent', error: unknown): Promise<void> {
    const detail = error instanceof VoiceCallError ? error.message : 'the call could not be placed';
    if (!(error instanceof VoiceCallError))
      this.logger.error(`Placing call ${call.id} failed: ${String(error)}`);
    const eventId = await this.calls.transaction(async (manager) => {
      await this.calls.setStatus(manager, call.id, 'failed', { detail, durationSeconds: 0 });
      return this.event(manager, call, { status: 'failed', leg, detail });
    });
    await this.thread.announce(call.ticketId, [eventId]);
  }

  /**
   * Who takes the call: the conversation's assignee when on duty with a mobile (outside quiet
   * hours), else the one on duty the longest without an alert; only numbers we may call.
   */
  private async agentFor(
    manager: EntityManager,
    ticketId: string | null,
  ): Promise<AlertableAgent | undefined> {
    const allowed = this.config.sms.allowedCountries;
    const reachable = (await this.agents.onDuty(manager)).filter(
      (agent) => !agent.quiet && !destinationBlocked(agent.mobile, allowed),
    );
    const assigneeId = ticketId ? await this.calls.assigneeOf(manager, ticketId) : null;
    return reachable.find((agent) => agent.id === assigneeId) ?? reachable[0];
  }
}

function unavailable(message: string): ApiException {
  return new ApiException(HttpStatus.CONFLICT, ErrorCode.CallUnavailable, message);
}
