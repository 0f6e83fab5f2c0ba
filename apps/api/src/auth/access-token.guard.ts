import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  HttpStatus,
  Injectable,
} from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../http/api-exception';
import { AccessTokens, type Principal } from './access-tokens';

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Routes for customers' chat sessions and agents: `Authorization: Bearer <access token>`. */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(private readonly tokens: AccessTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const principal = scheme?.toLowerCase() === 'bearer' ? this.tokens.verify(token) : undefined;
    if (!principal) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        token
          ? 'The access token is not valid or has expired'
          : 'Send an access token: Authorization: Bearer <token>',
      );
    }
    request.principal = principal;
    return true;
  }
}

/** The principal AccessTokenGuard authenticated. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal!,
);
