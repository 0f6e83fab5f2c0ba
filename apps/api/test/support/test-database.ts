import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrationsLocked } from '../../src/database/migration-runner';

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs SQL as the cluster's owner on this test's database. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** Migrated once per run by test/global-setup.ts; every test database starts as a copy of it. */
export const TEMPLATE_DATABASE = 'switchboard_template';

/**
 * A database of its own for one test file, on the run's embedded PostgreSQL: a copy of the template,
 * as the app leaves a new database once its migrations, SQL files and pg-boss's schema are in place
 * (no queues, settings or agents: the app makes those when it starts). `empty`: a database with
 * nothing in it, for tests of the migrations themselves.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${name}${options.empty ? '' : ` TEMPLATE ${TEMPLATE_DATABASE}`}`),
  );
  const url = databaseUrl(serverUrl, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    url,
    name,
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    drop: async () => {
      await client.end();
      await withClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * The template: what every new database goes through at the app's first start, done once per run
 * (the migrations, the SQL files, and pg-boss's schema as its `start()` creates it). Nothing may stay
 * connected to it, or copying it fails.
 */
export async function createTemplateDatabase(serverUrl: string): Promise<void> {
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
  const url = databaseUrl(serverUrl, TEMPLATE_DATABASE);
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
  await withClient(url, (client) => client.query(PgBoss.getConstructionPlans('pgboss')));
}

function testServerUrl(): string {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl)
    throw new Error('TEST_POSTGRES_URL is not set: run the tests through jest (test/global-setup.ts)');
  return serverUrl;
}

const databaseUrl = (serverUrl: string, name: string) => serverUrl.replace(/\/[^/]*$/, `/${name}`);

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
