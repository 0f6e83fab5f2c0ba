import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real application on its own database, listening on a free port of 127.0.0.1. */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    webRoot?: string;
    /** another instance on this database */ db?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const ownsDatabase = !options.db;
  const config = loadConfig({ NODE_ENV: 'test', ...options.env });
  const app = await createApp({
    config,
    databaseUrl: db.url,
    webRoot: options.webRoot ?? '/nonexistent',
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    close: async () => {
      await app.close();
      if (ownsDatabase) await db.drop();
    },
  };
}
