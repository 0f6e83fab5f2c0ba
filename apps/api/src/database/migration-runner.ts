import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { applySqlFiles, readSqlFiles, type SqlFile } from './sql-files';

/** Any fixed 64-bit number; all Switchboard instances on one database agree on it. */
const MIGRATION_LOCK_ID = 7_301_977_420_115;

/**
 * Runs pending migrations at boot, then applies the SQL files of database functions when they changed
 * (`sql-files.ts`). Several instances may boot at once, so the run is serialised with a session-level
 * advisory lock: the first does the work, the others then find nothing to do.
 */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);
  private done = false;

  constructor(private readonly dataSource: DataSource) {}

  get completed(): boolean {
    return this.done;
  }

  async onModuleInit(): Promise<void> {
    const applied = await runMigrationsLocked(this.dataSource);
    if (applied.migrations.length > 0)
      this.logger.log(`Applied migrations: ${applied.migrations.join(', ')}`);
    if (applied.sqlFiles.length > 0) this.logger.log(`Applied SQL files: ${applied.sqlFiles.join(', ')}`);
    this.done = true;
  }
}

export interface MigrationRun {
  /** The names of the migrations applied, oldest first. */
  migrations: string[];
  /** The SQL files applied: every one when any had changed or a migration ran, else none. */
  sqlFiles: string[];
}

/** `sqlFiles`: what to apply instead of the files of SQL_FILES (tests). */
export async function runMigrationsLocked(
  dataSource: DataSource,
  options: { sqlFiles?: readonly SqlFile[] } = {},
): Promise<MigrationRun> {
  const files = options.sqlFiles ?? (await readSqlFiles());
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const migrations = (await dataSource.runMigrations({ transaction: 'each' })).map(
        (migration) => migration.name,
      );
      const sqlFiles = await applySqlFiles(runner, files, { migrated: migrations.length > 0 });
      return { migrations, sqlFiles };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await runner.release();
  }
}
