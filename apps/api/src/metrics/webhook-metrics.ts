import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

const WEBHOOKS: [RegExp, string][] = [
  [/^\/(webhooks\/inbound-sms|support)(\/|$)/, 'inbound-sms'],
  [/^\/webhooks\/sms-status(\/|$)/, 'sms-status'],
];

/** Counts and times every answer to a Vonage webhook, whatever the status. */
export function measureWebhooks(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const webhook = WEBHOOKS.find(([pattern]) => pattern.test(path))?.[1];
    if (!webhook) return;
    metrics.webhookRequests.inc({ webhook, status: String(reply.statusCode) });
    metrics.webhookSeconds.observe({ webhook }, reply.elapsedTime / 1000);
  });
}
