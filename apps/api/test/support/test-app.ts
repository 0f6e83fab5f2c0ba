import { Writable } from 'node:stream';
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
    /** Log lines (JSON, at LOG_LEVEL) go here instead of nowhere. */
    logTo?: Writable;
  } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const ownsDatabase = !options.db;
  const config = loadConfig({ NODE_ENV: 'test', ...options.env });
  const app = await createApp({
    config,
    databaseUrl: db.url,
    webRoot: options.webRoot ?? '/nonexistent',
    ...(options.logTo ? { logTo: options.logTo } : { logger: false as const }),
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

/** A log destination that keeps every JSON line, for asserting what the operator's log says. */
export function capturedLog(): {
  stream: Writable;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
