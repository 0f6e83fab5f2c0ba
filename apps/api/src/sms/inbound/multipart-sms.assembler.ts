import { HttpStatus, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../http/api-exception';
import { type Job, JobQueue } from '../../jobs/job-queue';
import { Realtime } from '../../realtime/realtime';
import { SMS_PROVIDER, type SmsProvider } from '../providers/sms-provider';
import { WebhookNoncesRepository } from '../webhook-nonces.repository';
import { InboundSmsRepository } from './inbound-sms.repository';
import type { InboundOutcome, InboundSms } from './inbound-sms.service';
import { receiveCommand } from './receive-command';
import { replayed } from './replayed-nonce';
import { type ConcatGroup, MultipartRepository, type StoredPart } from './multipart.repository';

const CONCAT_TIMEOUT_QUEUE = 'sms.concat-timeout';

/**
 * Holds the parts of a multipart SMS until all `concat-total` arrived (in any order, duplicates
 * ignored), then stores them as one message. A set still incomplete after SMS_CONCAT_TIMEOUT_S is
 * stored as it is, marked partial.
 */
@Injectable()
export class MultipartSmsAssembler implements OnApplicationBootstrap {
  private readonly logger = new Logger(MultipartSmsAssembler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly parts: MultipartRepository,
    private readonly inbound: InboundSmsRepository,
    private readonly nonces: WebhookNoncesRepository,
    private readonly jobs: JobQueue,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    private readonly realtime: Realtime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.declare(CONCAT_TIMEOUT_QUEUE, { retryLimit: 5, retryDelay: 5, retryBackoff: true });
    await this.jobs.work<ConcatGroup & Pick<InboundSms, 'signature'>>(CONCAT_TIMEOUT_QUEUE, (job) =>
      this.expire(job),
    );
  }

  async receivePart(sms: InboundSms): Promise<InboundOutcome> {
    const concat = sms.concat!;
    if (concat.part > concat.total) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'Invalid concat-part', [
        { field: 'concat-part', message: 'concat-part must not be greater than concat-total' },
      ]);
    }
    const group: ConcatGroup = { to: sms.to, msisdn: sms.msisdn, ref: concat.ref };
    let ticketId: string | undefined;
    const outcome = await this.parts.withGroupLock(group, async (manager): Promise<InboundOutcome> => {
      if (
        sms.signature &&
        !(await this.nonces.claim(manager, sms.signature.nonce, sms.signature.signature))
      ) {
        throw replayed();
      }
      const timeout = this.config.sms.concatTimeoutSeconds;
      if (await this.parts.assembledRecently(manager, group, concat.part, timeout)) return 'duplicate';
      const part = { vonageMessageId: sms.messageId, ...concat, body: sms.text, params: sms.payload };
      if (!(await this.parts.insertPart(manager, group, part))) return 'duplicate';

      const pending = await this.parts.pendingParts(manager, group);
      if (pending.length >= concat.total) {
        ticketId = await this.store(manager, sms, pending, false);
        return 'stored';
      }
      if (pending.length === 1) {
        const due = new Date(Date.now() + timeout * 1000);
        await this.jobs.enqueue(manager, CONCAT_TIMEOUT_QUEUE, group, due);
      }
      return 'buffered';
    });
    if (ticketId) this.realtime.inbox({ ticketId, reason: 'message' });
    return outcome;
  }

  /** The timeout of a set: whatever parts are still waiting become one message, marked partial. */
  private async expire(job: Job<ConcatGroup>): Promise<void> {
    const group = { to: job.data.to, msisdn: job.data.msisdn, ref: job.data.ref };
    const ticketId = await this.parts.withGroupLock(group, async (manager) => {
      const pending = await this.parts.pendingParts(manager, group);
      if (pending.length === 0) return undefined;
      this.logger.warn(
        `Multipart SMS from ${group.msisdn} (ref ${group.ref}) incomplete after ` +
          `${this.config.sms.concatTimeoutSeconds} s: stored ${pending.length} of ${pending[0]!.total} parts`,
      );
      return this.store(manager, group, pending, true);
    });
    if (ticketId) this.realtime.inbox({ ticketId, reason: 'message' });
  }

  private async store(
    manager: EntityManager,
    sms: Pick<InboundSms, 'msisdn' | 'to'>,
    parts: StoredPart[],
    partial: boolean,
  ): Promise<string> {
    const total = parts[0]!.total;
    const present = new Set(parts.map((part) => part.part));
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((part) => !present.has(part));
    // Parts carry their own spaces, so they join with nothing in between.
    const text = parts.map((part) => part.body).join('');
    const { 'concat-part': _part, ...shared } = parts[0]!.params;
    const payload = {
      ...shared,
      concat: { ref: shared['concat-ref'], total, parts: parts.map((part) => part.vonageMessageId) },
      ...(partial ? { partial: true, missingParts: missing } : {}),
    };
    // The nonce of each part was claimed when it arrived.
    const whole = { ...sms, messageId: parts[0]!.vonageMessageId, text, payload };
    const result = await this.inbound.receive(
      receiveCommand(whole, this.config.sms, this.provider.name),
      manager,
    );
    await this.parts.markAssembled(manager, parts, result.messageId!);
    return result.ticketId!;
  }
}
