import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape: with METRICS_TOKEN, whoever sends it as a bearer token; without it, anyone outside
 * production and, in production, only callers of the internal METRICS_PORT (never the public port).
 */
export function metricsAccess(
  config: AppConfig,
  authorization: string | undefined,
  port: 'public' | 'metrics',
): 'ok' | 'unauthorized' | 'not-served' {
  const token = config.metricsToken;
  if (token) {
    const given = authorization?.replace(/^Bearer /i, '') ?? '';
    return timingSafeEqual(digest(given), digest(token)) ? 'ok' : 'unauthorized';
  }
  return port === 'public' && config.nodeEnv === 'production' ? 'not-served' : 'ok';
}
