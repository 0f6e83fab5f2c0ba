import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { createOpenApiDocument } from './openapi';

/**
 * The configuration the committed document describes: a fresh development checkout (no Vonage, no
 * Brevo), so every route the web app calls, the sandbox's included, is in it.
 */
export function documentedConfig(): AppConfig {
  return loadConfig({ NODE_ENV: 'development' });
}

/**
 * The document `/api/docs-json` serves for `config`, built without a database or a server: Nest's
 * preview mode scans the modules and their controllers (all the document is made of) but creates no
 * provider, so nothing connects to PostgreSQL. The e2e test checks it equals what the app serves.
 */
export async function buildOpenApiDocument(config: AppConfig = documentedConfig()): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(
    // The URL is never used: preview mode connects to nothing.
    AppModule.forRoot(config, 'postgres://preview.invalid/switchboard'),
    new FastifyAdapter(),
    { preview: true, abortOnError: false, logger: false },
  );
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The document as it is committed: two-space JSON with a final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
