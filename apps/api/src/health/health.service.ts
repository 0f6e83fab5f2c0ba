import { Injectable } from '@nestjs/common';
import type { HealthResponse } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { MigrationRunner } from '../database/migration-runner';

const DATABASE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly migrations: MigrationRunner,
  ) {}

  async check(): Promise<HealthResponse> {
    const failing: HealthResponse['failing'] = {};
    const database = await this.databaseProblem();
    if (database) failing.database = database;
    if (!this.migrations.completed) failing.migrations = 'not applied yet';
    return Object.keys(failing).length === 0 ? { status: 'ok' } : { status: 'error', failing };
  }

  private async databaseProblem(): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${DATABASE_TIMEOUT_MS} ms`), DATABASE_TIMEOUT_MS);
    });
    const query = this.dataSource.query('SELECT 1').then(
      () => undefined,
      (error: Error) => `unreachable: ${error.message}`,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
