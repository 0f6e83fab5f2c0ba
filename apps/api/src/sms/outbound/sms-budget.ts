import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { OutboundSmsRepository } from './outbound-sms.repository';

/**
 * What every SMS we send shares, whoever sends it (replies and automated SMS to customers, alerts and
 * codes to agents), across all instances: VONAGE_SMS_RATE sends a second, and SMS_AUTO_PER_MINUTE
 * automated SMS a minute.
 */
@Injectable()
export class SmsBudget {
  constructor(
    private readonly config: AppConfig,
    private readonly windows: OutboundSmsRepository,
  ) {}

  /** Until this second (or a later one) has a send left. */
  async waitForSendSlot(): Promise<void> {
    while (!(await this.windows.takeSendSlot(this.config.sms.sendRatePerSecond))) {
      await sleep(1000 - (Date.now() % 1000) + Math.random() * 20);
    }
  }

  /** One automated SMS from this minute's budget; false when it is spent (see sms-auto-minute.sql). */
  async takeAutomated(manager: EntityManager): Promise<boolean> {
    const [row] = (await manager.query(`SELECT sms_auto_minute_take($1) AS taken`, [
      this.config.sms.autoPerMinute,
    ])) as { taken: boolean }[];
    return row!.taken;
  }
}
