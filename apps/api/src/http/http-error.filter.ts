import { type ArgumentsHost, Catch, type ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
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
    const body = toErrorResponse(exception, this.logger);
    void reply.status(body.statusCode).header('cache-control', 'no-store').send(body);
  }
}
