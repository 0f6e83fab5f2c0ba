import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * With WEBHOOK_PATH_TOKEN set, SMS webhooks are served only at `…/<token>`: any other path, with or
 * without a wrong token, is an ordinary 404 that tells a prober nothing. Without it, only the plain paths.
 */
@Injectable()
export class WebhookPathTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const { token } = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: { token?: string } }>>().params;
    const expected = this.config.webhooks.pathToken;
    const ok = expected
      ? token !== undefined && timingSafeEqual(digest(token), digest(expected))
      : token === undefined;
    if (!ok) throw new NotFoundException();
    return true;
  }
}
