import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { frameworkErrorResponse } from './http/error-response';
import { HttpErrorFilter } from './http/http-error.filter';
import { setupOpenApi } from './http/openapi';
import { createLogger, fastifyLogging, logRequests } from './http/logging';
import { PostgresIoAdapter } from './http/postgres-io.adapter';
import { keepRawBodies } from './http/raw-body';
import { refuseUntrustedInput } from './http/untrusted-input';
import { validationPipe } from './http/validation';
import { WebApp } from './http/web-app';
import { Metrics } from './metrics/metrics';
import { measureWebhooks } from './metrics/webhook-metrics';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** The built web app; default `apps/web/dist` next to this package. */
  webRoot?: string;
  /** false: no log lines from Nest and services (Fastify's logger keeps LOG_LEVEL). */
  logger?: false;
  /** Where log lines go instead of stdout (tests read what an operator would). */
  logTo?: DestinationStream;
}

export const DEFAULT_WEB_ROOT = join(__dirname, '..', '..', 'web', 'dist');

/** The whole HTTP application, wired but not listening: `main.ts` and the e2e tests both use it. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const logger = createLogger(options.config, options.logTo);
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // Webhook tokens may be 128 characters, usernames 64 that each encode to three (`%40`).
    routerOptions: { maxParamLength: 3 * 128 },
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const known = frameworkErrorResponse(error);
      if (known) void reply.status(known.statusCode).header('cache-control', 'no-store').send(known);
      else void reply.send(error);
    },
    // JSON.parse makes a `__proto__` key an own property (nothing is polluted by parsing): it reaches
    // refuseUntrustedInput, which refuses it and every `constructor` and `prototype` key, naming where.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // request.ip (rate limits, logs) is the client's address only behind proxies named here.
    ...(options.config.trustProxy !== undefined ? { trustProxy: options.config.trustProxy } : {}),
    ...fastifyLogging(logger),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options.config, options.databaseUrl),
    adapter,
    // Nest's own lines until nestjs-pino's Logger exists are held, then written through it.
    {
      abortOnError: false,
      ...(options.logger === false ? { logger: false } : { bufferLogs: true }),
    },
  );
  if (options.logger !== false) {
    app.useLogger(app.get(Logger));
    // Now rather than at listen(): lines logged by app.init() (migrations) must not wait, nor be lost if it fails.
    app.flushLogs();
  }
  const fastify = app.getHttpAdapter().getInstance();
  // JSON and forms only: a text/plain body would reach the routes as a string.
  fastify.removeContentTypeParser('text/plain');
  refuseUntrustedInput(fastify);
  keepRawBodies(fastify);
  logRequests(fastify);
  measureWebhooks(fastify, app.get(Metrics));
  await app.register(fastifyHelmet, {
    // The web app's own policy is set on its pages (WebApp); JSON answers need none.
    contentSecurityPolicy: false,
    hsts: options.config.publicUrl.startsWith('https://'),
  });
  if (options.config.corsOrigins.length > 0) {
    app.enableCors({
      origin: options.config.corsOrigins.includes('*') ? true : options.config.corsOrigins,
      credentials: true,
    });
  }
  await app.register(fastifyCookie);
  const webApp = WebApp.at(options.webRoot ?? DEFAULT_WEB_ROOT);
  if (webApp) await webApp.register(app);

  // Nest routes Fastify's own errors (body parsing, limits) through this filter too.
  app.useWebSocketAdapter(new PostgresIoAdapter(app, options.databaseUrl));
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(webApp));
  setupOpenApi(app);
  return app;
}
