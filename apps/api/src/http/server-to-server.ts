import { RouteConfig } from '@nestjs/platform-fastify';
import type { UntrustedInputConfig } from './untrusted-input';

/**
 * For routes only a provider's servers call (Vonage's webhooks): no browser reads their answers, so
 * helmet's security headers would be bytes for nothing on the busiest routes (ten headers on every 204).
 * What a phone sent is kept, text PostgreSQL cannot store replaced rather than refused (`storableText`).
 */
export const ServerToServer = () =>
  RouteConfig({ helmet: { skipRoute: true }, keepsText: true } satisfies UntrustedInputConfig & {
    helmet: object;
  });
