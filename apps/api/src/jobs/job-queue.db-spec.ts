import { DataSource } from 'typeorm';
import { eventually } from '../../test/support/eventually';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/migration-runner';
import { Metrics } from '../metrics/metrics';
import { JobQueue } from './job-queue';

/** The job queue on a real PostgreSQL through pg-boss: a backlog is worked off job after job. */
describe(JobQueue.name, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: JobQueue;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    await runMigrationsLocked(dataSource);
    sut = new JobQueue(db.url, dataSource, new Metrics(), { pools: { database: 2, jobs: 3 } } as AppConfig);
    await sut.onModuleInit();
  });

  afterAll(async () => {
    await sut?.onApplicationShutdown();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('with drain, takes the next job of a backlog at once instead of waiting for the next poll', async () => {
    await sut.declare('test.backlog', { retryLimit: 0 });
    for (let i = 0; i < 5; i++) await sut.send('test.backlog', { i });
    const done: number[] = [];
    // One worker polling every 60 s: waiting for the poll between jobs would take four minutes.
    await sut.work<{ i: number }>(
      'test.backlog',
      async (job) => {
        done.push(job.data.i);
      },
      { pollingIntervalSeconds: 60, drain: true },
    );
    await eventually(async () => (done.length === 5 ? true : undefined), 'the backlog worked off', 20_000);
    expect([...done].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('still waits for the poll when the queue is empty, and then takes what arrived', async () => {
    await sut.declare('test.idle', { retryLimit: 0 });
    const done: string[] = [];
    await sut.work<{ name: string }>(
      'test.idle',
      async (job) => {
        done.push(job.data.name);
      },
      { pollingIntervalSeconds: 1, drain: true },
    );
    await sut.send('test.idle', { name: 'late' });
    await eventually(async () => (done.length === 1 ? true : undefined), 'the job that arrived later');
    expect(done).toEqual(['late']);
  });
});
