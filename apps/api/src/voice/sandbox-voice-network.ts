import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { SandboxCall } from '@switchboard/contracts';
import type { FastifyInstance } from 'fastify';
import { DataSource } from 'typeorm';
import {
  type BrowserCall,
  type NccoAction,
  type OutboundCall,
  type PlacedCall,
  VoiceProvider,
  vonageNumber,
} from './voice-provider';
import { VoiceWebhookVerifier } from './voice-webhook-verifier';

interface Leg {
  uuid: string;
  conversationUuid: string;
  to: string;
  from: string;
  status: SandboxCall['status'];
  ncco: NccoAction[];
  eventUrl: string;
  /** Rung by this caller's `connect`, which goes on at action `callerResumesAt` if this leg is not answered. */
  callerUuid: string | null;
  callerResumesAt: number | null;
  /** The named conversation it joined: its legs end together. */
  conversationName: string | null;
  answeredSeconds: number | null;
}

const LEG_COLUMNS = `uuid::text, conversation_uuid AS "conversationUuid", to_number AS "to", from_number AS "from",
  status, ncco, event_url AS "eventUrl", caller_uuid::text AS "callerUuid", caller_resumes_at AS "callerResumesAt",
  conversation_name AS "conversationName",
  CASE WHEN answered_at IS NULL THEN NULL ELSE extract(epoch FROM now() - answered_at)::int END AS "answeredSeconds"`;

/**
 * The sandbox's phone network, standing in for Vonage's Voice API: a call rings a simulated phone
 * (the phone simulator shows it), which answers or declines; once answered the call's NCCO runs (its
 * `connect` rings the agent's simulated phone); every step is posted, signed like Vonage's, to the
 * call's event URL through the server's own HTTP routes. Legs live in `sandbox_call_legs`, so any
 * instance can answer them; a ringing phone times out after the call's ringing time.
 */
@Injectable()
export class SandboxVoiceNetwork extends VoiceProvider implements OnModuleDestroy {
  readonly name = 'sandbox';
  private readonly logger = new Logger(SandboxVoiceNetwork.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Each call's events go out in order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifier: VoiceWebhookVerifier,
    private readonly http: HttpAdapterHost,
  ) {
    super();
  }

  /** Set at shutdown: nothing more rings or is posted. */
  private closed = false;

  onModuleDestroy(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  async place(call: OutboundCall): Promise<PlacedCall> {
    const conversationUuid = `CON-${randomUUID()}`;
    const leg = await this.ring({
      conversationUuid,
      to: call.to,
      from: call.from,
      ncco: call.ncco,
      eventUrl: call.eventUrl,
      seconds: call.ringingSeconds,
    });
    return { legId: leg, conversationId: conversationUuid };
  }

  async hangUp(legId: string): Promise<void> {
    const leg = await this.leg(legId);
    if (!leg) return;
    if (leg.status === 'ringing') await this.end(leg, 'cancelled');
    else if (leg.status === 'answered') await this.endConversation(leg);
  }

  /**
   * The customer's browser calls (as the Client SDK's `serverCall` would): the browser's leg, answered
   * at once, asks our answer URL for its NCCO with the call token in `custom_data`, and runs it.
   */
  startBrowserCall(call: BrowserCall): Promise<null> {
    setImmediate(() => {
      if (this.closed) return;
      this.browserLeg(call).catch((error: unknown) =>
        this.logger.warn(`Sandbox browser call: ${String(error)}`),
      );
    });
    return Promise.resolve(null);
  }

  private async browserLeg(call: BrowserCall): Promise<void> {
    const uuid = randomUUID();
    const conversationUuid = `CON-${randomUUID()}`;
    const user = `sandbox-caller-${call.customerId}`;
    const [leg] = (await this.dataSource.query(
      `INSERT INTO sandbox_call_legs (uuid, conversation_uuid, to_number, from_number, status, event_url, answered_at)
       VALUES ($1, $2, 'app', $3, 'answered', $4, now()) RETURNING ${LEG_COLUMNS}`,
      [uuid, conversationUuid, user, `http://sandbox${call.eventPath}`],
    )) as Leg[];
    this.post(leg!, 'started');
    const query = new URLSearchParams({
      uuid,
      conversation_uuid: conversationUuid,
      from_user: user,
      endpoint_type: 'app',
      custom_data: JSON.stringify({ callToken: call.callToken }),
    });
    const answer = await this.http.httpAdapter.getInstance<FastifyInstance>().inject({
      method: 'GET',
      url: `${call.answerPath}?${query.toString()}`,
      headers: { authorization: `Bearer ${this.verifier.sign('')}` },
    });
    const ncco = answer.json<NccoAction[]>();
    await this.dataSource.query(`UPDATE sandbox_call_legs SET ncco = $2 WHERE uuid = $1`, [
      uuid,
      JSON.stringify(ncco),
    ]);
    this.post(leg!, 'answered');
    await this.runNcco({ ...leg!, ncco }, 0);
  }

  /** The simulated phone `number`'s calls: ringing or in progress, and those that ended in the last minute. */
  async callsTo(number: string): Promise<SandboxCall[]> {
    return (await this.dataSource.query(
      `SELECT uuid::text AS id, '+' || from_number AS "from", status,
              to_char(answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "answeredAt",
              to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "endedAt"
         FROM sandbox_call_legs
        WHERE to_number = $1 AND (ended_at IS NULL OR ended_at > now() - interval '1 minute')
        ORDER BY created_at DESC LIMIT 5`,
      [vonageNumber(number)],
    )) as SandboxCall[];
  }

  /** The phone picks up: the leg is answered, and a caller's NCCO runs. False when it no longer rings. */
  async answer(legId: string): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE sandbox_call_legs SET status = 'answered', answered_at = now()
        WHERE uuid = $1 AND status = 'ringing' RETURNING ${LEG_COLUMNS}`,
      [legId],
    )) as [Leg[], number];
    const leg = rows[0];
    if (!leg) return false;
    this.post(leg, 'answered');
    await this.runNcco(leg, 0);
    return true;
  }

  /** The phone declines: busy, as carriers report it. */
  async decline(legId: string): Promise<boolean> {
    const leg = await this.leg(legId);
    if (leg?.status !== 'ringing') return false;
    return this.end(leg, 'busy');
  }

  /** The phone hangs up: an answered call ends for both phones. */
  async hangUpPhone(legId: string): Promise<boolean> {
    const leg = await this.leg(legId);
    if (leg?.status !== 'answered') return false;
    await this.endConversation(leg);
    return true;
  }

  private async ring(options: {
    conversationUuid: string;
    to: string;
    from: string;
    ncco: NccoAction[];
    eventUrl: string;
    seconds: number;
    caller?: { uuid: string; resumesAt: number };
  }): Promise<string> {
    const uuid = randomUUID();
    const [leg] = (await this.dataSource.query(
      `INSERT INTO sandbox_call_legs
         (uuid, conversation_uuid, to_number, from_number, status, ncco, event_url, caller_uuid, caller_resumes_at)
       VALUES ($1, $2, $3, $4, 'ringing', $5, $6, $7, $8) RETURNING ${LEG_COLUMNS}`,
      [
        uuid,
        options.conversationUuid,
        vonageNumber(options.to),
        vonageNumber(options.from),
        JSON.stringify(options.ncco),
        options.eventUrl,
        options.caller?.uuid ?? null,
        options.caller?.resumesAt ?? null,
      ],
    )) as Leg[];
    this.post(leg!, 'started');
    this.post(leg!, 'ringing');
    this.later(options.seconds, async () => {
      const current = await this.leg(uuid);
      if (current?.status === 'ringing') await this.end(current, 'timeout');
    });
    return uuid;
  }

  /**
   * Runs the caller's NCCO from action `from` (talk takes no time here): a `connect` rings its
   * endpoint; when nothing is left, the caller's leg ends.
   */
  private async runNcco(caller: Leg, from: number): Promise<void> {
    for (let index = from; index < caller.ncco.length; index++) {
      const action = caller.ncco[index]!;
      if (action.action === 'conversation') {
        // In the conversation until a leg in it hangs up (endOnExit).
        await this.dataSource.query(`UPDATE sandbox_call_legs SET conversation_name = $2 WHERE uuid = $1`, [
          caller.uuid,
          action.name,
        ]);
        return;
      }
      if (action.action !== 'connect') continue;
      await this.ring({
        conversationUuid: caller.conversationUuid,
        to: action.endpoint[0].number,
        from: action.from,
        ncco: [],
        eventUrl: action.eventUrl[0],
        seconds: action.timeout,
        caller: { uuid: caller.uuid, resumesAt: index + 1 },
      });
      return;
    }
    if (caller.ncco.length > 0) await this.endConversation(caller);
  }

  /** Ends a ringing leg that was not answered; a callee's caller goes on with its NCCO. */
  private async end(leg: Leg, status: 'busy' | 'timeout' | 'cancelled'): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE sandbox_call_legs SET status = $2, ended_at = now() WHERE uuid = $1 AND status = 'ringing'
       RETURNING ${LEG_COLUMNS}`,
      [leg.uuid, status],
    )) as [Leg[], number];
    if (!rows[0]) return false;
    this.post(rows[0], status);
    if (leg.callerUuid !== null) {
      const caller = await this.leg(leg.callerUuid);
      if (caller?.status === 'answered')
        await this.runNcco(caller, leg.callerResumesAt ?? caller.ncco.length);
    }
    return true;
  }

  /** Hangs up every leg of the call: answered ones complete with their duration, ringing ones are cancelled. */
  private async endConversation(leg: Leg): Promise<void> {
    const current = await this.leg(leg.uuid);
    const [rows] = (await this.dataSource.query(
      `UPDATE sandbox_call_legs
          SET status = CASE WHEN status = 'answered' THEN 'completed' ELSE 'cancelled' END, ended_at = now()
        WHERE (conversation_uuid = $1 OR conversation_name = $2) AND status IN ('ringing', 'answered')
       RETURNING ${LEG_COLUMNS}`,
      [leg.conversationUuid, current?.conversationName ?? null],
    )) as [Leg[], number];
    // The callee's leg first, as the network reports it: the caller's end closes the call.
    const callersLast = (leg: Leg) => (leg.callerUuid === null ? 1 : 0);
    for (const leg of rows.sort((a, b) => callersLast(a) - callersLast(b))) {
      this.post(leg, leg.status, leg.status === 'completed' ? (leg.answeredSeconds ?? 0) : undefined);
    }
  }

  private async leg(uuid: string): Promise<Leg | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(uuid)) return undefined;
    const [leg] = (await this.dataSource.query(
      `SELECT ${LEG_COLUMNS} FROM sandbox_call_legs WHERE uuid = $1`,
      [uuid],
    )) as Leg[];
    return leg;
  }

  /** Posts the leg's event to its event URL, signed as Vonage signs, in order with the call's others. */
  private post(leg: Leg, status: string, duration?: number): void {
    const body = JSON.stringify({
      uuid: leg.uuid,
      conversation_uuid: leg.conversationUuid,
      status,
      direction: 'outbound',
      from: leg.from,
      to: leg.to,
      timestamp: new Date().toISOString(),
      ...(duration === undefined ? {} : { duration: String(duration) }),
    });
    const previous = this.queues.get(leg.conversationUuid) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.closed) return;
      const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
      const response = await fastify.inject({
        method: 'POST',
        url: new URL(leg.eventUrl).pathname,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.verifier.sign(body)}` },
        payload: body,
      });
      if (response.statusCode >= 300) {
        this.logger.warn(
          `Sandbox call event ${status} of ${leg.uuid}: the webhook answered ${response.statusCode}`,
        );
      }
    });
    const settled = next.catch((error: unknown) =>
      this.logger.warn(`Sandbox call event not posted: ${String(error)}`),
    );
    this.queues.set(leg.conversationUuid, settled);
    void settled.then(() => {
      if (this.queues.get(leg.conversationUuid) === settled) this.queues.delete(leg.conversationUuid);
    });
  }

  private later(seconds: number, work: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work().catch((error: unknown) => this.logger.warn(`Sandbox call timer: ${String(error)}`));
    }, seconds * 1000);
    timer.unref();
    this.timers.add(timer);
  }
}
