import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Installation-wide values generated once and kept (`app_settings`). */
@Injectable()
export class AppSettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored value, or `generated` stored now; instances booting together agree on one. */
  async getOrCreate(key: string, generated: string): Promise<{ value: string; created: boolean }> {
    const [row] = (await this.dataSource.query(
      `WITH created AS (
         INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value
       )
       SELECT value, true AS created FROM created
       UNION ALL
       SELECT value, false FROM app_settings WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM created)`,
      [key, generated],
    )) as { value: string; created: boolean }[];
    return row!;
  }
}
