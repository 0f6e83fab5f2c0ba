import { RouteConfig } from '@nestjs/platform-fastify';

/**
 * For routes only a provider's servers call (Vonage's webhooks): no browser reads their answers, so
 * helmet's security headers would be bytes for nothing on the busiest routes (ten headers on every 204).
 */
export const ServerToServer = () => RouteConfig({ helmet: { skipRoute: true } });
