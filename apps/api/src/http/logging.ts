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

/**
 * Paths whose successful answers are routine at volume, logged at debug: webhooks, probes and
 * scrapes, socket.io's long polling.
 */
const ROUTINE = /^\/(webhooks\/|support(\/|$)|health(\/|$)|metrics$|socket\.io\/)/;

/** Reads that are the web app's files, pages and polls, not calls of the API. */
const PAGE_OR_POLL = /^\/(?!api(\/|$))|^\/api\/(sandbox\/|docs)/;

/**
 * Nest's own narration of its start: a line per module, controller, route and gateway message (some
 * 150 at every start, burying ours). Logged at debug; their warnings and errors are untouched.
 */
const NEST_START_UP = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

export function createLogger(config: AppConfig, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.log.level,
    base: { service: 'switchboard' },
    redact: { paths: REDACT, censor: '[redacted]' },
    hooks: {
      logMethod(args, method, level) {
        const context = (args[0] as { context?: unknown } | null)?.context;
        if (level === pino.levels.values.info && typeof context === 'string' && NEST_START_UP.has(context)) {
          return this.debug(...(args as Parameters<Logger['debug']>));
        }
        return method.apply(this, args);
      },
    },
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
 * with a `:token` path segment masked: webhooks Vonage cannot sign are guarded by one; the client's
 * address, which is the caller behind a proxy when Fastify trusts it), the request id
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
    const line = {
      method: request.method,
      path,
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
    };
    const level = requestLogLevel(request.method, path, status);
    request.log[level](line, REQUEST_MESSAGE[level]);
  });
}

const REQUEST_MESSAGE = {
  error: 'request failed',
  warn: 'request refused',
  info: 'request',
  debug: 'request',
} as const;

/**
 * Failures at error, refusals at warn, calls of the API at info. What a browser or a probe asks for
 * over and over is debug: the web app's files and pages (one page view fetches a dozen), the sandbox
 * pages' polls (`GET /api/sandbox/...` every few seconds), the API reference's files, socket.io's
 * polling, health probes, metrics scrapes and webhooks.
 */
export function requestLogLevel(method: string, path: string, status: number): keyof typeof REQUEST_MESSAGE {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  if (ROUTINE.test(path)) return 'debug';
  if ((method === 'GET' || method === 'HEAD') && PAGE_OR_POLL.test(path)) return 'debug';
  return 'info';
}

function loggedPath(request: FastifyRequest): string {
  const path = request.url.split('?')[0]!;
  const token = (request.params as Record<string, unknown> | undefined)?.token;
  return typeof token === 'string' && token !== '' ? path.replace(token, '[redacted]') : path;
}
