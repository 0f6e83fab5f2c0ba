import { rm } from 'node:fs/promises';
import type { EmbeddedPostgres } from '../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__testPostgres as
    { server: EmbeddedPostgres; dataDir: string } | undefined;
  if (!state) return;
  await state.server.stop();
  await rm(state.dataDir, { recursive: true, force: true });
}
