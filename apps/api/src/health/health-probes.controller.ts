import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { MigrationRunner } from '../database/migration-runner';
import { JobQueue } from '../jobs/job-queue';

/**
 * Probes for orchestrators. Liveness: the process answers (restart it if not). Readiness: the
 * database answers, migrations ran and the job queue works (send it traffic only then).
 */
@Controller('health')
export class HealthProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly migrations: MigrationRunner,
    private readonly jobs: JobQueue,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => {
        const migrations = this.indicators.check('migrations');
        return this.migrations.completed ? migrations.up() : migrations.down({ message: 'not applied yet' });
      },
      async () => {
        const jobs = this.indicators.check('jobs');
        try {
          await this.jobs.ping();
          return jobs.up();
        } catch (error) {
          return jobs.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
