import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../http/api-exception';
import { AccessTokenGuard } from './access-token.guard';
import type { Principal } from './access-tokens';

/** Admin-only routes: no token → 401, an agent's or a customer's token → 403. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly tokens: AccessTokenGuard) {}

  canActivate(context: ExecutionContext): boolean {
    this.tokens.canActivate(context);
    const { principal } = context.switchToHttp().getRequest<FastifyRequest & { principal: Principal }>();
    if (principal.role !== 'admin') {
      throw new ApiException(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'Only admins can do this');
    }
    return true;
  }
}
