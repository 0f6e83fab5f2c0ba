import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** A position in the primary's write-ahead log, as PostgreSQL prints a pg_lsn: `16/B374D848`. */
export const LOG_POSITION = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/**
 * Reads that may go to a streaming replica (DATABASE_READ_URL): the inbox's lists, counts and
 * tickets, the heaviest reads at a busy desk. A reader says what it has seen as a position in the
 * primary's log (the `X-Position` of an answer to its write, or the `position` of an inbox event);
 * the replica serves it only once it has replayed that far, else the primary does. So an agent always
 * sees their own changes and every change they were told about, however far the replica lags, and a
 * replica that is down or was promoted is skipped. Without DATABASE_READ_URL everything reads the
 * primary and no position is ever asked for.
 */
@Injectable()
export class ReadReplica implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ReadReplica.name);
  private replica?: DataSource;

  constructor(
    private readonly primary: DataSource,
    private readonly config: AppConfig,
  ) {}

  get configured(): boolean {
    return this.config.databaseReadUrl !== undefined;
  }

  async onModuleInit(): Promise<void> {
    const url = this.config.databaseReadUrl;
    if (!url) return;
    const pool = this.config.pools.database;
    const replica = new DataSource({
      ...dataSourceOptions(url, pool),
      extra: { max: pool, application_name: 'switchboard-reads' },
    });
    try {
      this.replica = await replica.initialize();
    } catch (error) {
      // Reads go to the primary until the next start; the desk keeps working.
      this.logger.warn(
        `DATABASE_READ_URL is not reachable, reading from the primary: ${(error as Error).message}`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replica?.destroy();
  }

  /** Where to read for a reader who has seen the primary up to `position` (none: anything). */
  async for(position: string | undefined): Promise<DataSource> {
    if (!this.replica) return this.primary;
    try {
      const [row] = (await this.replica.query(
        `SELECT pg_is_in_recovery() AND ($1::pg_lsn IS NULL OR pg_last_wal_replay_lsn() >= $1::pg_lsn) AS ready`,
        [position ?? null],
      )) as { ready: boolean }[];
      return row?.ready ? this.replica : this.primary;
    } catch {
      return this.primary;
    }
  }

  /**
   * Runs a read where `for` says, and once more on the primary if the replica failed it (it went
   * away, or has not replayed a migration yet): a replica only ever makes reads cheaper.
   */
  async read<T>(position: string | undefined, work: (source: DataSource) => Promise<T>): Promise<T> {
    const source = await this.for(position);
    if (source === this.primary) return work(source);
    try {
      return await work(source);
    } catch {
      return work(this.primary);
    }
  }

  /** Runs a read on the primary: after a write, what its answer shows. */
  readonly primaryRead = <T>(work: (source: DataSource) => Promise<T>): Promise<T> => work(this.primary);

  /** The primary's log position now: what a reader has seen once told of a change just committed. */
  async position(): Promise<string | undefined> {
    if (!this.configured) return undefined;
    const [row] = (await this.primary.query(`SELECT pg_current_wal_lsn()::text AS position`)) as {
      position: string;
    }[];
    return row?.position;
  }
}
