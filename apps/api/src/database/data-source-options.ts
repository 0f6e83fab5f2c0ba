import type { DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'migrations',
    extra: { max: 20, application_name: 'switchboard' },
  };
}
