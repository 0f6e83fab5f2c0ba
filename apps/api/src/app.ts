import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { HttpErrorFilter } from './http/http-error.filter';
import { setupOpenApi } from './http/openapi';
import { createLogger, logRequests, PinoNestLogger, requestId } from './http/logging';
import { PostgresIoAdapter } from './http/postgres-io.adapter';
import { validationPipe } from './http/validation';
import { WebApp } from './http/web-app';
import { Metrics } from './metrics/metrics';
import { measureWebhooks } from './metrics/webhook-metrics';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** The built web app; default `apps/web/dist` next to this package. */
  webRoot?: string;
  logger?: false;
}

export const DEFAULT_WEB_ROOT = join(__dirname, '..', '..', 'web', 'dist');

/** The whole HTTP application, wired but not listening: `main.ts` and the e2e tests both use it. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const logger = createLogger(options.config);
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    loggerInstance: logger,
    // Our own one line per request (http/logging.ts) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (request: { headers: Record<string, unknown> }) => requestId(request),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options.config, options.databaseUrl),
    adapter,
    {
      rawBody: true,
      abortOnError: false,
      logger: options.logger === false ? false : new PinoNestLogger(logger),
    },
  );
  logRequests(app.getHttpAdapter().getInstance());
  measureWebhooks(app.getHttpAdapter().getInstance(), app.get(Metrics));
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
