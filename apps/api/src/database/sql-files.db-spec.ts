import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migration-runner';
import { readSqlFiles, SQL_FILES, type SqlFile } from './sql-files';

/**
 * Everything function-like in the database outside pg-boss's schema and extensions: functions,
 * procedures and aggregates with their full definition, triggers, event triggers.
 */
const CODE_IN_DATABASE = `
  SELECT 'function ' || p.oid::regprocedure AS name,
         CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END AS definition
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgboss')
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                                 AND d.deptype = 'e')
  UNION ALL
  SELECT 'trigger ' || t.tgrelid::regclass || '.' || t.tgname, pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE NOT t.tgisinternal AND n.nspname <> 'pgboss'
  UNION ALL
  SELECT 'event trigger ' || evtname, evtevent || ' ' || evtfoid::regproc FROM pg_event_trigger
   ORDER BY 1`;

type Code = { name: string; definition: string }[];

describe('SQL files of database functions', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let files: SqlFile[];

  beforeAll(async () => {
    files = await readSqlFiles();
  });

  beforeEach(async () => {
    db = await createTestDatabase({ empty: true });
    dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
  });

  afterEach(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const code = () => db.query<Code[number]>(CODE_IN_DATABASE);

  /** What the files alone make: every function and trigger dropped, then the files applied. */
  async function codeFromFilesAlone(): Promise<Code> {
    await db.query('BEGIN');
    try {
      for (const { name } of await code()) {
        if (name.startsWith('trigger ')) {
          const [, table, trigger] = /^trigger (.+)\.([^.]+)$/.exec(name)!;
          await db.query(`DROP TRIGGER ${trigger} ON ${table}`);
        }
      }
      // No CASCADE: a column default or a view that calls a function would need it at migrate time.
      for (const { name } of await code()) await db.query(`DROP ${name}`);
      for (const file of files) await db.query(file.sql);
      return await code();
    } finally {
      await db.query('ROLLBACK');
    }
  }

  it('lists every .sql file of src/, in files that exist', () => {
    const src = join(__dirname, '..');
    const found = readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
      .map((entry) => relative(src, join(entry.parentPath, entry.name)));

    expect([...SQL_FILES].sort()).toEqual(found.sort());
  });

  it('makes a migrated database hold exactly the functions and triggers the files define', async () => {
    await runMigrationsLocked(dataSource);

    const migrated = await code();

    expect(migrated.map((item) => item.name)).toEqual(
      expect.arrayContaining(['function sms_receive_batch(jsonb,integer,text,text,text,integer,integer)']),
    );
    await expect(codeFromFilesAlone()).resolves.toEqual(migrated);
  });

  it('applies nothing at the next boot when no file changed', async () => {
    await runMigrationsLocked(dataSource);
    const before = await code();
    const recorded = await db.query('SELECT path, sha256, applied_at FROM sql_files ORDER BY path');

    await expect(runMigrationsLocked(dataSource)).resolves.toEqual({ migrations: [], sqlFiles: [] });
    await expect(code()).resolves.toEqual(before);
    await expect(db.query('SELECT path, sha256, applied_at FROM sql_files ORDER BY path')).resolves.toEqual(
      recorded,
    );
  });

  it('applies a changed file at the next boot, and the committed one at the boot after', async () => {
    await runMigrationsLocked(dataSource);
    const changed = files.map((file) =>
      file.path === 'sms/inbound/sms-receive.sql'
        ? { ...file, sql: file.sql.replace(`'unknown intent %'`, `'no such intent: %'`) }
        : file,
    );
    const unknownIntent = () =>
      db.query(`SELECT sms_receive('m-1', '+447700900001', '+447700900000', 'Hi', '{}', 'bogus', 7,
                                   NULL, NULL, 'sandbox', NULL, NULL, NULL, 1, 1)`);

    await expect(runMigrationsLocked(dataSource, { sqlFiles: changed })).resolves.toEqual({
      migrations: [],
      sqlFiles: SQL_FILES,
    });
    await expect(unknownIntent()).rejects.toThrow('no such intent: bogus');

    await expect(runMigrationsLocked(dataSource)).resolves.toEqual({ migrations: [], sqlFiles: SQL_FILES });
    await expect(unknownIntent()).rejects.toThrow('unknown intent bogus');
  });

  it('gives a database migrated before the files existed their definitions at its next boot', async () => {
    await runMigrationsLocked(dataSource);
    const current = await code();
    // As an older Switchboard left it: no record of SQL files, and bodies its migrations wrote.
    await db.query('DROP TABLE sql_files');
    await db.query(`
      CREATE OR REPLACE FUNCTION enqueue_job(p_queue text, p_data jsonb, p_start_after timestamptz DEFAULT now())
      RETURNS uuid LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'an older body'; END $$`);
    await db.query('DROP TRIGGER messages_assign_seq ON messages');

    await expect(runMigrationsLocked(dataSource)).resolves.toEqual({ migrations: [], sqlFiles: SQL_FILES });
    await expect(code()).resolves.toEqual(current);
  });

  it('applies no file when one fails, and names it', async () => {
    await runMigrationsLocked(dataSource);
    const current = await code();
    const broken = files.map((file, index) => {
      if (index === 0) return { ...file, sql: file.sql.replace('does not exist', 'is unknown') };
      if (index === 1) return { ...file, sql: `${file.sql}\nCREATE FUNCTION broken( RETURNS;` };
      return file;
    });

    await expect(runMigrationsLocked(dataSource, { sqlFiles: broken })).rejects.toThrow(
      new RegExp(`^${SQL_FILES[1]}: syntax error`),
    );
    await expect(code()).resolves.toEqual(current);
    await expect(runMigrationsLocked(dataSource)).resolves.toEqual({ migrations: [], sqlFiles: [] });
  });
});
