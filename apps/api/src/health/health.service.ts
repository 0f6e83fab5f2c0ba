import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { HealthPart, HealthResponse } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { MigrationRunner } from '../database/migration-runner';
import { JobQueue } from '../jobs/job-queue';

const TIMEOUT_MS = 2000;

/** A failing part: the short reason callers see, and the error that only the log gets. */
interface Failure {
  reason: string;
  error?: unknown;
}

/**
 * What the health routes report. Anyone may call them, so an answer names the failing parts with a
 * short reason and an error id; the error's own text (hosts, ports, SQL) goes only to the log.
 */
@Injectable()
export class HealthService {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly dataSource: DataSource,
    private readonly migrations: MigrationRunner,
    private readonly jobs: JobQueue,
  ) {}

  /** The database answers and the migrations ran. */
  summary(): Promise<HealthResponse> {
    return this.report({ database: this.database(), migrations: this.migrationsApplied() });
  }

  /** Ready for traffic: the summary, and the job queue works. */
  readiness(): Promise<HealthResponse> {
    return this.report({
      database: this.database(),
      migrations: this.migrationsApplied(),
      jobs: this.probe(() => this.jobs.ping(), 'not running'),
    });
  }

  private async report(
    checks: Partial<Record<HealthPart, Promise<Failure | undefined>>>,
  ): Promise<HealthResponse> {
    const results = await Promise.all(
      Object.entries(checks).map(async ([part, check]) => [part as HealthPart, await check] as const),
    );
    const failures = results.filter((result): result is [HealthPart, Failure] => result[1] !== undefined);
    if (failures.length === 0) return { status: 'ok' };
    const errorId = randomUUID();
    for (const [part, { reason, error }] of failures) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : reason;
      this.logger.error(`Health check ${errorId}: ${part} ${reason}: ${detail}`);
    }
    return {
      status: 'error',
      failing: Object.fromEntries(failures.map(([part, { reason }]) => [part, reason])),
      errorId,
    };
  }

  private database(): Promise<Failure | undefined> {
    return this.probe(() => this.dataSource.query('SELECT 1'), 'unreachable');
  }

  private async migrationsApplied(): Promise<Failure | undefined> {
    return this.migrations.completed ? undefined : { reason: 'not applied yet' };
  }

  /** Undefined when `check` succeeds within the timeout. */
  private async probe(check: () => Promise<unknown>, reason: string): Promise<Failure | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Failure>((resolve) => {
      timer = setTimeout(() => resolve({ reason: `no answer within ${TIMEOUT_MS} ms` }), TIMEOUT_MS);
    });
    const outcome = check().then(
      () => undefined,
      (error: unknown) => ({ reason, error }),
    );
    try {
      return await Promise.race([outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
