import { randomUUID } from 'node:crypto';
import { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { Store, storage } from 'nestjs-pino/storage';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';

/** Never written to a log, wherever they appear in a logged object. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.sig',
  '*.secret',
  '*.apiKey',
  '*.apiSecret',
  '*["api-key"]',
];

/** Paths whose successful answers are routine at volume: logged at debug, not info. */
const QUIET = /^\/(webhooks\/|support(\/|$|\?)|health|assets\/|socket\.io\/)/;

export function createLogger(config: AppConfig, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.log.level,
    base: { service: 'switchboard' },
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(config.log.format === 'pretty'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' },
          },
        }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Fastify logs with `logger`; each request's child logger (`request.log`) is tagged `requestId`. */
export function fastifyLogging(logger: Logger) {
  return {
    loggerInstance: logger,
    // Our own one line per request (logRequests) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (request: { headers: Record<string, unknown> }) => requestId(request),
  };
}

/** A caller's X-Request-Id when it looks like an id, else a new one: it tags every line of the request. */
export function requestId(request: { headers: Record<string, unknown> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * One line per answered request (the path without its query, which can hold a chat link's token, and
 * with a `:token` path segment masked: webhooks Vonage cannot sign are guarded by one), the request id
 * in the response header, so a user's report can be found in the logs, and on every line logged while
 * the request is handled.
 */
export function logRequests(fastify: FastifyInstance): void {
  // What services log while handling the request goes through its logger, so its id is on those lines
  // too (nestjs-pino's Logger and PinoLogger read this store).
  fastify.addHook('onRequest', (request, _reply, done) =>
    storage.run(new Store(request.log as Logger), done),
  );
  fastify.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-request-id', request.id);
    return payload;
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const path = loggedPath(request);
    const status = reply.statusCode;
    const line = { method: request.method, path, status, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (status >= 500) request.log.error(line, 'request failed');
    else if (status >= 400) request.log.warn(line, 'request refused');
    else if (QUIET.test(path)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });
}

function loggedPath(request: FastifyRequest): string {
  const path = request.url.split('?')[0]!;
  const token = (request.params as Record<string, unknown> | undefined)?.token;
  return typeof token === 'string' && token !== '' ? path.replace(token, '[redacted]') : path;
}
