import type { DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * nestjs-pino's `Logger` (Nest's logger, see createApp) and injectable `PinoLogger`, on the pino
 * instance createApp gave Fastify, so one configuration (createLogger) for every line. `useExisting`:
 * no pino-http, whose per-request logger, id and "request completed" line would duplicate Fastify's.
 *
 * No request context (`forRoutes: []`): nestjs-pino would put each request's logger in an
 * AsyncLocalStorage, which on Node 20 (async_hooks) taxes every promise of the process. Measured on
 * the inbound-SMS webhook: ~60 µs more CPU per request, even with the webhook excluded, as long as any
 * other route binds. So the request id is on the request's own line and in X-Request-Id, not on the
 * lines services write meanwhile. Worth another look on Node 24, whose AsyncLocalStorage is cheap.
 * A function, not a constant: `@InjectPinoLogger()` contexts are collected when it is called.
 */
export function loggingModule(): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [HttpAdapterHost],
    useFactory: ({ httpAdapter }: HttpAdapterHost) => ({
      useExisting: true,
      pinoHttp: { logger: httpAdapter.getInstance<FastifyInstance>().log as Logger },
      forRoutes: [],
    }),
  });
}
