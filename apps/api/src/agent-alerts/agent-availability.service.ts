import { HttpStatus, Injectable } from '@nestjs/common';
import { type AgentAvailability, type AvailabilityUpdate, ErrorCode } from '@switchboard/contracts';
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { AgentAvailabilityRepository } from '../agents/agent-availability.repository';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { JobQueue } from '../jobs/job-queue';
import { destinationBlocked } from '../sms/destination-country';
import { AgentSmsRepository } from './agent-sms.repository';
import { SEND_AGENT_SMS_QUEUE } from './queues';

/** A code works this long, for this many tries; an agent gets at most this many codes an hour. */
const CODE_MINUTES = 10;
const CODE_TRIES = 5;
const CODES_PER_HOUR = 3;

const hashCode = (agentId: string, phone: string, code: string) =>
  createHash('sha256').update(`${agentId}:${phone}:${code}`).digest();

const invalid = (field: string, message: string) =>
  new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, message, [{ field, message }]);

/**
 * An agent's own availability: their mobile (a number is used only once the code sent to it by SMS
 * came back, so alerts never go to a stranger's phone), the on-duty switch, quiet hours.
 */
@Injectable()
export class AgentAvailabilityService {
  constructor(
    private readonly config: AppConfig,
    private readonly agents: AgentAvailabilityRepository,
    private readonly sms: AgentSmsRepository,
    private readonly jobs: JobQueue,
  ) {}

  async get(agentId: string): Promise<AgentAvailability> {
    const [availability, pending] = await Promise.all([
      this.agents.availability(agentId),
      this.sms.pendingMobile(agentId),
    ]);
    if (!availability) throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.AgentNotFound, 'No such agent');
    return { ...availability, pendingMobile: pending?.phone ?? null, codeSms: pending?.codeSms ?? null };
  }

  async update(agentId: string, change: AvailabilityUpdate): Promise<AgentAvailability> {
    if (change.quietHours?.timeZone !== undefined && !knownTimeZone(change.quietHours.timeZone)) {
      throw invalid('quietHours.timeZone', 'quietHours.timeZone must be a time zone, e.g. Europe/London');
    }
    await this.agents.update(agentId, change);
    return this.get(agentId);
  }

  /** Sends a code to `mobile`; the number becomes the agent's when the code comes back (`confirm`). */
  async requestCode(agentId: string, mobile: string): Promise<AgentAvailability> {
    const blocked = destinationBlocked(mobile, this.config.sms.allowedCountries);
    if (blocked) {
      throw invalid(
        'mobile',
        `mobile must be a ${this.config.sms.allowedCountries.join(' or ')} number: SMS go only there (SMS_ALLOWED_COUNTRIES)`,
      );
    }
    const owner = await this.agents.ownerOf(mobile);
    if (owner !== undefined && owner !== agentId) throw mobileTaken();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sent = await this.sms.transaction(async (manager) => {
      // Counted under the agent's lock: two requests at once cannot both take the last code of the hour.
      if ((await this.sms.lockCodes(manager, agentId)) >= CODES_PER_HOUR) return false;
      await this.sms.saveCode(manager, agentId, {
        phone: mobile,
        codeHash: hashCode(agentId, mobile, code).toString('hex'),
        expiresAt: new Date(Date.now() + CODE_MINUTES * 60_000),
      });
      const smsId = await this.sms.queue(manager, {
        kind: 'code',
        agentId,
        phone: mobile,
        body: `${code} is your ${this.config.companyName} Switchboard code for chat alerts. It expires in ${CODE_MINUTES} minutes.`,
      });
      await this.jobs.enqueue(manager, SEND_AGENT_SMS_QUEUE, { smsId });
      return true;
    });
    if (!sent) {
      throw new ApiException(
        HttpStatus.TOO_MANY_REQUESTS,
        ErrorCode.TooManyRequests,
        `At most ${CODES_PER_HOUR} codes an hour: try again later`,
      );
    }
    return this.get(agentId);
  }

  async confirm(agentId: string, code: string): Promise<AgentAvailability> {
    // The try is counted whatever the outcome: its transaction commits before a wrong code is refused.
    const outcome = await this.sms.transaction(async (manager) => {
      const pending = await this.sms.tryCode(manager, agentId, CODE_TRIES);
      if (!pending) return 'none' as const;
      const expected = Buffer.from(pending.codeHash, 'hex');
      if (!timingSafeEqual(expected, hashCode(agentId, pending.phone, code))) return 'wrong' as const;
      if (!(await this.agents.setMobile(manager, agentId, pending.phone))) return 'taken' as const;
      await this.sms.dropCode(manager, agentId);
      return 'confirmed' as const;
    });
    if (outcome === 'none') {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.NoMobilePending,
        'No code is waiting: it expired or was tried too often. Ask for a new one',
      );
    }
    if (outcome === 'wrong') throw invalid('code', 'code is not the one we sent');
    if (outcome === 'taken') throw mobileTaken();
    return this.get(agentId);
  }

  async removeMobile(agentId: string): Promise<AgentAvailability> {
    await this.sms.transaction(async (manager) => {
      await this.agents.setMobile(manager, agentId, null);
      await this.sms.dropCode(manager, agentId);
    });
    return this.get(agentId);
  }
}

function mobileTaken(): ApiException {
  return new ApiException(
    HttpStatus.CONFLICT,
    ErrorCode.MobileTaken,
    'This number is already someone else’s (a customer’s or another agent’s)',
    [{ field: 'mobile', message: 'mobile is already someone else’s number' }],
  );
}

/** PostgreSQL knows the same IANA names as ICU, which Node's Intl uses. */
function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
