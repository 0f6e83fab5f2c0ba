import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QueryRunner } from 'typeorm';

/**
 * Every database function and trigger, each defined once, in a SQL file beside the code that calls it
 * (paths below `src/`, which the build copies into `dist/`), in the order they are applied. Migrations
 * create tables, columns, indexes and data; these files are the only definition of the code that runs
 * in the database. Each file is idempotent DDL (`CREATE OR REPLACE FUNCTION`, `CREATE OR REPLACE
 * TRIGGER`); one that changes a function's arguments also drops the old signature (`DROP FUNCTION IF
 * EXISTS name(old argument types)`), since `CREATE OR REPLACE` would add an overload beside it.
 */
export const SQL_FILES = [
  'jobs/enqueue-job.sql',
  'sms/webhook-nonces.sql',
  'thread/messages-seq.sql',
  'thread/thread-inbound.sql',
  'thread/thread-outbound.sql',
  'sms/outbound/sms-auto-minute.sql',
  'sms/inbound/sms-consent.sql',
  'sms/inbound/sms-automated-reply.sql',
  'sms/inbound/sms-receive.sql',
  'sms/inbound/sms-receive-batch.sql',
];

export interface SqlFile {
  /** Below `src/`, as listed in SQL_FILES. */
  path: string;
  sql: string;
}

const SOURCE_ROOT = join(__dirname, '..');

export function readSqlFiles(paths: readonly string[] = SQL_FILES): Promise<SqlFile[]> {
  return Promise.all(
    paths.map(async (path) => ({ path, sql: await readFile(join(SOURCE_ROOT, path), 'utf8') })),
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Applies `files` when the database has not had exactly these yet: each boot reads one small table of
 * the hashes last applied, and does nothing more when they match. Otherwise every file is applied in
 * order and the hashes recorded, in one transaction, so a failing file changes nothing. After
 * migrations ran (`migrated`), the files are applied whatever the hashes say: a migration may have
 * replaced a table, and its triggers with it. The caller holds the migration lock, so instances that
 * boot together apply them once. Returns the paths applied: all of them, or none.
 */
export async function applySqlFiles(
  runner: QueryRunner,
  files: readonly SqlFile[],
  { migrated }: { migrated: boolean },
): Promise<string[]> {
  await runner.query(`
    CREATE TABLE IF NOT EXISTS sql_files (
      path text PRIMARY KEY,
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const wanted = files.map((file) => ({ path: file.path, sha256: sha256(file.sql) }));
  const recorded = (await runner.query('SELECT path, sha256 FROM sql_files ORDER BY path')) as {
    path: string;
    sha256: string;
  }[];
  const key = (rows: { path: string; sha256: string }[]) =>
    rows
      .map((row) => `${row.path}\0${row.sha256}`)
      .sort()
      .join('\n');
  if (!migrated && key(recorded) === key(wanted)) return [];

  await runner.startTransaction();
  try {
    for (const file of files) {
      try {
        await runner.query(file.sql);
      } catch (error) {
        throw new Error(`${file.path}: ${(error as Error).message}`, { cause: error });
      }
    }
    await runner.query('DELETE FROM sql_files');
    await runner.query('INSERT INTO sql_files (path, sha256) SELECT * FROM unnest($1::text[], $2::text[])', [
      wanted.map((row) => row.path),
      wanted.map((row) => row.sha256),
    ]);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
  return files.map((file) => file.path);
}
