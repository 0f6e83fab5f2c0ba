import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';

/**
 * One real PostgreSQL per test run, on a free port in a fresh temporary directory. Each test file
 * creates its own database in it (test/support/test-database.ts), so parallel files share no rows.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const server = await EmbeddedPostgres.start({ dataDir, database: 'postgres' });
  (globalThis as Record<string, unknown>).__testPostgres = { server, dataDir };
  process.env.TEST_POSTGRES_URL = server.url;
}
