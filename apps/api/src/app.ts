import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { HttpErrorFilter } from './http/http-error.filter';
import { PostgresIoAdapter } from './http/postgres-io.adapter';
import { validationPipe } from './http/validation';
import { WebApp } from './http/web-app';

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
  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options.config, options.databaseUrl),
    adapter,
    { rawBody: true, abortOnError: false, ...(options.logger === false ? { logger: false } : {}) },
  );
  await app.register(fastifyCookie);
  const webApp = WebApp.at(options.webRoot ?? DEFAULT_WEB_ROOT);
  if (webApp) await webApp.register(app);

  // Nest routes Fastify's own errors (body parsing, limits) through this filter too.
  app.useWebSocketAdapter(new PostgresIoAdapter(app, options.databaseUrl));
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(webApp));
  return app;
}
