import type { DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';

/** `poolSize`: connections this data source may hold (DATABASE_POOL_SIZE for the API; few for a CLI). */
export function dataSourceOptions(url: string, poolSize = 2): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'migrations',
    extra: { max: poolSize, application_name: 'switchboard' },
  };
}
