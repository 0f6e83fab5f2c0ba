import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  mixin,
  NotFoundException,
  type Type,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * A guard for webhooks whose URL carries a secret `:token` segment (the callers cannot sign): with the
 * token `select` picks from the configuration, only `…/<that token>` answers; without one, only the
 * plain path. Anything else is an ordinary 404 that tells a prober nothing.
 */
export function pathTokenGuard(select: (config: AppConfig) => string | undefined): Type<CanActivate> {
  @Injectable()
  class PathTokenGuard implements CanActivate {
    constructor(private readonly config: AppConfig) {}

    canActivate(context: ExecutionContext): boolean {
      const { token } = context
        .switchToHttp()
        .getRequest<FastifyRequest<{ Params: { token?: string } }>>().params;
      const expected = select(this.config);
      const ok = expected
        ? token !== undefined && timingSafeEqual(digest(token), digest(expected))
        : token === undefined;
      if (!ok) throw new NotFoundException();
      return true;
    }
  }
  return mixin(PathTokenGuard);
}
