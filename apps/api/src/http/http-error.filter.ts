import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';
import type { WebApp } from './web-app';

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly webApp?: WebApp) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof NotFoundException && this.webApp?.servesPage(request)) {
      void this.webApp.sendIndex(reply);
      return;
    }
    if (exception instanceof ServiceUnavailableException) {
      // Readiness probes answer 503 with what is down: the body is meant for the caller.
      void reply.status(503).header('cache-control', 'no-store').send(exception.getResponse());
      return;
    }
    const body = toErrorResponse(exception, this.logger);
    void reply.status(body.statusCode).header('cache-control', 'no-store').send(body);
  }
}
