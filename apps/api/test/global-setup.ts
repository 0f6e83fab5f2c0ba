import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { createTemplateDatabase } from './support/test-database';

/**
 * One real PostgreSQL per test run, on a free port in a fresh temporary directory. Each test file
 * creates its own database in it (test/support/test-database.ts), so parallel files share no rows:
 * a copy of a template migrated here once, rather than migrating each from empty.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const server = await EmbeddedPostgres.start({ dataDir, database: 'postgres' });
  (globalThis as Record<string, unknown>).__testPostgres = { server, dataDir };
  process.env.TEST_POSTGRES_URL = server.url;
  await createTemplateDatabase(server.url);
}
