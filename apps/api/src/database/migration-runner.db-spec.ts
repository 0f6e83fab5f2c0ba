import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';
import { migrations } from './migrations';
import { runMigrationsLocked } from './migration-runner';
import { SQL_FILES } from './sql-files';

describe(runMigrationsLocked.name, () => {
  let db: TestDatabase;
  const dataSources: DataSource[] = [];

  beforeEach(async () => {
    db = await createTestDatabase({ empty: true });
  });

  afterEach(async () => {
    await Promise.all(dataSources.splice(0).map((dataSource) => dataSource.destroy()));
    await db.drop();
  });

  async function instance(): Promise<DataSource> {
    const dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    dataSources.push(dataSource);
    return dataSource;
  }

  it('applies every migration once when several instances boot at the same time', async () => {
    const instances = await Promise.all([instance(), instance(), instance()]);

    const results = await Promise.all(instances.map((dataSource) => runMigrationsLocked(dataSource)));

    const expected = migrations.map((migration) => migration.name);
    expect(results.filter((applied) => applied.migrations.length > 0)).toEqual([
      { migrations: expected, sqlFiles: SQL_FILES },
    ]);
    expect(results.filter((applied) => applied.sqlFiles.length > 0)).toHaveLength(1);
    await expect(db.query('SELECT name FROM migrations ORDER BY id')).resolves.toEqual(
      expected.map((name) => ({ name })),
    );
  });

  it('finds nothing to do on the next boot and keeps the data', async () => {
    await runMigrationsLocked(await instance());
    await db.query(`INSERT INTO app_settings (key, value) VALUES ('kept', 'yes')`);

    await expect(runMigrationsLocked(await instance())).resolves.toEqual({ migrations: [], sqlFiles: [] });
    await expect(db.query('SELECT value FROM app_settings')).resolves.toEqual([{ value: 'yes' }]);
  });

  it('releases the lock so a later run is not blocked', async () => {
    const first = await instance();
    await runMigrationsLocked(first);
    await expect(
      db.query(
        // pg_locks covers the whole cluster, where other test files run their own migrations.
        `SELECT count(*)::int AS held FROM pg_locks
          WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      ),
    ).resolves.toEqual([{ held: 0 }]);
  });
});
