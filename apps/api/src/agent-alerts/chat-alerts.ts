import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AgentAvailabilityRepository, type AlertableAgent } from '../agents/agent-availability.repository';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { Realtime } from '../realtime/realtime';
import { SmsBudget } from '../sms/outbound/sms-budget';
import { ThreadService } from '../thread/thread.service';
import { type AlertContext, ThreadViews } from '../thread/thread-views';
import type { EntityManager } from 'typeorm';
import { AgentSmsRepository } from './agent-sms.repository';
import { alertRecipients } from './alert-recipients';
import { CHAT_OPENED_QUEUE, SEND_AGENT_SMS_QUEUE } from './queues';

/**
 * An SMS to the agent on duty when a customer opens their chat ("Dana (order #311) is in the chat:
 * <link>"). Decided by a job, so opening the chat never waits on it, one decision at a time under a
 * database lock, so two instances (or a reload) never send two: at most one alert per conversation
 * per AGENT_ALERT_COOLDOWN_MIN. None while an agent has the ticket open in the console or wrote in it
 * within that time. Alerts count against the automated-SMS caps; one held back (nobody reachable, a
 * cap) or failed is an internal event in the ticket's thread, with the reason.
 */
@Injectable()
export class ChatAlerts implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChatAlerts.name);

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly views: ThreadViews,
    private readonly thread: ThreadService,
    private readonly realtime: Realtime,
    private readonly agents: AgentAvailabilityRepository,
    private readonly sms: AgentSmsRepository,
    private readonly budget: SmsBudget,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.declare(CHAT_OPENED_QUEUE, { retryLimit: 3, retryDelay: 2, expireInSeconds: 60 });
    await this.jobs.work<{ ticketId: string }>(CHAT_OPENED_QUEUE, (job) => this.decide(job.data.ticketId), {
      concurrency: 2,
      pollingIntervalSeconds: 1,
      drain: true,
    });
  }

  /** The customer opened (or reloaded) their chat. */
  customerOpened(ticketId: string): void {
    this.jobs.send(CHAT_OPENED_QUEUE, { ticketId }).catch((error: unknown) => {
      this.logger.warn(`Could not queue the chat alert for ${ticketId}: ${String(error)}`);
    });
  }

  async decide(ticketId: string): Promise<void> {
    const { cooldownMinutes } = this.config.agentAlerts;
    const chat = await this.views.alertContext(ticketId, cooldownMinutes);
    if (chat?.channel !== 'chat' || chat.agentWroteRecently) return;
    if ((await this.realtime.viewers(ticketId)) > 0) return;
    const events = await this.sms.transaction(async (manager) => {
      // One decision at a time across instances: the cooldown, the turns and the per-number cap each
      // read what the decision before wrote. (Customers opening chats are few a second at most.)
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('agent-alerts', 0))`);
      if (await this.sms.alertedWithin(manager, ticketId, cooldownMinutes)) return [];
      const plan = alertRecipients(
        await this.agents.onDuty(manager),
        chat.assigneeId,
        this.config.agentAlerts.routing,
      );
      if ('held' in plan) return [await this.holdBack(manager, ticketId, plan.held)];
      const held: string[] = [];
      for (const agent of plan.recipients) {
        const cap = await this.capReached(manager, agent);
        if (cap)
          held.push(await this.holdBack(manager, ticketId, `Not sent to ${agent.name}: ${cap}`, agent));
        else await this.queue(manager, ticketId, chat, agent);
      }
      return held;
    });
    if (events.length > 0) await this.thread.announce(ticketId, events);
  }

  /** An alert to `agent` could not go out: the thread says so (called by the sender, after its tries). */
  async failed(ticketId: string, agent: { id: string; name: string }, reason: string): Promise<void> {
    const id = await this.sms.transaction((manager) =>
      this.thread.appendEvent(manager, {
        ticketId,
        direction: 'out',
        authorId: null,
        internal: true,
        payload: {
          type: 'agent_alert',
          outcome: 'failed',
          agentId: agent.id,
          reason: `Not sent to ${agent.name}: ${reason}`,
        },
      }),
    );
    await this.thread.announce(ticketId, [id]);
  }

  private async capReached(manager: EntityManager, agent: AlertableAgent): Promise<string | undefined> {
    const perHour = this.config.sms.autoPerNumberPerHour;
    if ((await this.sms.sentToPhoneLastHour(manager, agent.mobile)) >= perHour) {
      return `this number already got ${perHour} automated SMS in the last hour (SMS_AUTO_PER_NUMBER_PER_HOUR)`;
    }
    if (!(await this.budget.takeAutomated(manager))) {
      return `${this.config.sms.autoPerMinute} automated SMS already went out this minute (SMS_AUTO_PER_MINUTE)`;
    }
    return undefined;
  }

  private async queue(manager: EntityManager, ticketId: string, chat: AlertContext, agent: AlertableAgent) {
    const who = chat.orderId ? `${chat.customerName} (order #${chat.orderId})` : chat.customerName;
    const smsId = await this.sms.queue(manager, {
      kind: 'alert',
      agentId: agent.id,
      phone: agent.mobile,
      ticketId,
      body: `${who} is in the chat: ${this.config.publicUrl}/agent/tickets/${ticketId}`,
    });
    await this.jobs.enqueue(manager, SEND_AGENT_SMS_QUEUE, { smsId });
  }

  private async holdBack(
    manager: EntityManager,
    ticketId: string,
    reason: string,
    agent?: AlertableAgent,
  ): Promise<string> {
    await this.sms.hold(manager, { ticketId, agentId: agent?.id, phone: agent?.mobile, reason });
    return this.thread.appendEvent(manager, {
      ticketId,
      direction: 'out',
      authorId: null,
      internal: true,
      payload: { type: 'agent_alert', outcome: 'held', agentId: agent?.id ?? null, reason },
    });
  }
}
