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
 * `forRoutes: []`: nestjs-pino's own middleware would run through @fastify/middie on every request;
 * instead `logRequests` (http/logging.ts) binds each request's logger in a Fastify hook. That binding
 * (an AsyncLocalStorage) costs every promise of the process some CPU on Node 20: measured at ~60 µs
 * per inbound-SMS webhook, which the SMS benchmark target still allows (docs/benchmarks.md); worth
 * another look on Node 24, whose AsyncLocalStorage is cheap.
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
