import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Expired counters are swept this often by each instance (any instance's sweep serves all). */
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * One statement per throttled request: count the hit in the key's fixed window, or start a new window
 * once the last one ended; the hit that goes over the limit blocks the key for `blockDuration`; hits
 * while blocked are not counted. The row lock orders concurrent hits.
 */
const INCREMENT = `
  INSERT INTO rate_limit_counters AS c (key, hits, window_ends_at, blocked_until)
  VALUES ($1, 1, now() + $2 * interval '1 millisecond',
          CASE WHEN 1 > $3 THEN now() + $4 * interval '1 millisecond' END)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.blocked_until > now() THEN c.hits
                WHEN c.window_ends_at <= now() THEN 1
                ELSE c.hits + 1 END,
    window_ends_at = CASE WHEN c.blocked_until > now() OR c.window_ends_at > now() THEN c.window_ends_at
                          ELSE now() + $2 * interval '1 millisecond' END,
    blocked_until = CASE WHEN c.blocked_until > now() THEN c.blocked_until
                         WHEN (CASE WHEN c.window_ends_at <= now() THEN 1 ELSE c.hits + 1 END) > $3
                           THEN now() + $4 * interval '1 millisecond' END
  RETURNING hits,
            ceil(extract(epoch FROM window_ends_at - now()))::int AS "windowSeconds",
            ceil(extract(epoch FROM blocked_until - now()))::int AS "blockSeconds"`;

/**
 * @nestjs/throttler's counters in PostgreSQL, so a limit holds for a client whichever instance its
 * requests reach (the library's default store is one instance's memory).
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private lastSweep = 0;

  constructor(private readonly dataSource: DataSource) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    this.sweepNowAndThen();
    const [row] = (await this.dataSource.query(INCREMENT, [key, ttl, limit, blockDuration || ttl])) as {
      hits: number;
      windowSeconds: number;
      blockSeconds: number | null;
    }[];
    const blocked = row!.blockSeconds !== null && row!.blockSeconds > 0;
    return {
      totalHits: row!.hits + (blocked ? 1 : 0),
      timeToExpire: Math.max(0, row!.windowSeconds),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? row!.blockSeconds! : 0,
    };
  }

  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    void this.dataSource
      .query(
        `DELETE FROM rate_limit_counters
          WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`,
      )
      .catch(() => undefined);
  }
}
