import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Vonage does not sign RTC webhooks, so their URL carries a secret: only `/webhooks/rtc/<token>` with
 * VONAGE_RTC_WEBHOOK_TOKEN answers. Anything else, and everything without Vonage Conversations, is an
 * ordinary 404 that tells a prober nothing.
 */
@Injectable()
export class RtcWebhookTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const { token } = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: { token?: string } }>>().params;
    const expected = this.config.conversations?.rtcWebhookToken;
    if (!expected || token === undefined || !timingSafeEqual(digest(token), digest(expected))) {
      throw new NotFoundException();
    }
    return true;
  }
}
