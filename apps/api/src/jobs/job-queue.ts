import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { DataSource, type EntityManager } from 'typeorm';

export const DATABASE_URL = Symbol('DATABASE_URL');
const QUEUE_DDL_LOCK_ID = 7_301_977_420_116;

export type QueueOptions = Omit<PgBoss.Queue, 'name'>;
export type Job<T> = PgBoss.JobWithMetadata<T>;

/**
 * pg-boss on our own PostgreSQL: jobs are rows, so enqueueing one commits or rolls back with the
 * business rows it belongs to, and every instance shares the queues (SKIP LOCKED).
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly boss: PgBoss;
  private started = false;
  private declaring = Promise.resolve();

  private readonly declared = new Set<string>();

  constructor(
    @Inject(DATABASE_URL) url: string,
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
    config: AppConfig,
  ) {
    metrics.onScrape(async () => {
      for (const queue of this.declared)
        this.metrics.queueDepth.set({ queue }, await this.boss.getQueueSize(queue));
    });
    this.boss = new PgBoss({
      connectionString: url,
      schema: 'pgboss',
      max: config.pools.jobs,
      application_name: 'switchboard-jobs',
    });
    this.boss.on('error', (error) => this.logger.error(`Job queue: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    this.started = true;
  }

  /**
   * Creates the queue if needed and applies its retry policy. pg-boss creates a queue with DDL that
   * deadlocks when run concurrently, so declarations go one at a time, across instances too.
   */
  declare(name: string, options: QueueOptions): Promise<void> {
    const declared = this.declaring.then(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.query('SELECT pg_advisory_lock($1)', [QUEUE_DDL_LOCK_ID]);
        await this.boss.createQueue(name, { name, ...options });
        await this.boss.updateQueue(name, { name, ...options });
        this.declared.add(name);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [QUEUE_DDL_LOCK_ID]).catch(() => undefined);
        await runner.release();
      }
    });
    this.declaring = declared.catch(() => undefined);
    return declared;
  }

  /**
   * Runs `handler` for each job, `concurrency` at a time in this process. A handler that throws
   * fails the job, which pg-boss retries with the queue's backoff until its retry limit.
   *
   * pg-boss waits out the polling interval after every job, so a backlog drains at one job per
   * interval per worker (two a second at the default). With `drain`, a worker that found a job asks
   * for the next one at once and only an empty queue waits for the poll: for work whose backlog
   * someone waits on (a sale's 2,000 order emails took 8 minutes). Not the default: the SMS queues'
   * pace is part of what `bench:sms` measured, and draining them at once is a decision of its own.
   */
  async work<T extends object>(
    name: string,
    handler: (job: Job<T>) => Promise<void>,
    options: { concurrency?: number; pollingIntervalSeconds?: number; drain?: boolean } = {},
  ): Promise<void> {
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      const workerId: string = await this.boss.work<T>(
        name,
        {
          includeMetadata: true,
          batchSize: 1,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5,
        },
        async ([job]) => {
          try {
            await handler(job!);
          } catch (error) {
            this.metrics.jobFailures.inc({ queue: name });
            throw error;
          } finally {
            if (options.drain) this.boss.notifyWorker(workerId);
          }
        },
      );
    }
  }

  /** Enqueues in the transaction of `manager`, through the `enqueue_job` database function. */
  async enqueue(manager: EntityManager, name: string, data: object, startAfter?: Date): Promise<string> {
    const [row] = (await manager.query('SELECT enqueue_job($1, $2, $3) AS id', [
      name,
      JSON.stringify(data),
      startAfter ?? new Date(),
    ])) as { id: string }[];
    return row!.id;
  }

  /** Enqueues on its own, outside any transaction. */
  async send(name: string, data: object, startAfter?: Date): Promise<void> {
    await this.boss.send(name, data, startAfter ? { startAfter } : {});
  }

  /** Runs the queue's job on a cron schedule (once per tick across all instances). */
  async schedule(name: string, cron: string): Promise<void> {
    await this.boss.schedule(name, cron);
  }

  /** Throws unless pg-boss is started and its tables answer. */
  async ping(): Promise<void> {
    if (!this.started) throw new Error('the job queue is not running');
    await this.boss.getQueues();
  }

  async size(name: string): Promise<number> {
    return this.boss.getQueueSize(name);
  }

  /** Stops fetching, lets running jobs finish (up to 20 s), then closes the pool. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 20_000 });
  }
}
