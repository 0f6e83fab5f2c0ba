import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException } from '../http/api-exception';
import { InstanceSecrets } from './instance-secrets';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The shop backend's routes: `Authorization: Bearer <API_TOKEN>`, compared in constant time. */
@Injectable()
export class IntegrationTokenGuard implements CanActivate {
  constructor(private readonly secrets: InstanceSecrets) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (
      scheme?.toLowerCase() === 'bearer' &&
      token &&
      timingSafeEqual(digest(token), digest(this.secrets.integrationToken))
    ) {
      return true;
    }
    void context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', 'Bearer');
    throw new ApiException(
      HttpStatus.UNAUTHORIZED,
      ErrorCode.Unauthorized,
      token
        ? 'The integration token is not valid'
        : 'Send the integration token: Authorization: Bearer <API_TOKEN>',
    );
  }
}
