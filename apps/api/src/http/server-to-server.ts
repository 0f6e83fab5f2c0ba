import { RouteConfig } from '@nestjs/platform-fastify';
import type { RawBodyConfig } from './raw-body';
import type { UntrustedInputConfig } from './untrusted-input';

/**
 * For routes only a provider's servers call (Vonage's webhooks): no browser reads their answers, so
 * helmet's security headers would be bytes for nothing on the busiest routes (ten headers on every 204).
 * What a phone sent is kept, text PostgreSQL cannot store replaced rather than refused (`storableText`).
 * `rawBody`: the body's bytes stay on the request too, for a signature over them (`keepRawBodies`).
 */
export const ServerToServer = (options: RawBodyConfig = {}) =>
  RouteConfig({ helmet: { skipRoute: true }, keepsText: true, ...options } satisfies UntrustedInputConfig &
    RawBodyConfig & { helmet: object });
