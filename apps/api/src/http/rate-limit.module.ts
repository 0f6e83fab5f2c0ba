import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { PostgresThrottlerStorage } from './postgres-throttler-storage';

/**
 * Rate limits for `@Throttle`d routes, counted per client address (`request.ip`: the client's own
 * behind the proxies TRUST_PROXY names) in PostgreSQL, so every instance counts the same hits.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({
        throttlers: [{ ttl: 60_000, limit: 100 }],
        storage: new PostgresThrottlerStorage(dataSource),
      }),
    }),
  ],
})
export class RateLimitModule {}
