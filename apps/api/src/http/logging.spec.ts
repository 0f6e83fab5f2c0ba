import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Logger,
  Module,
  NotFoundException,
  Post,
  Query,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { loadConfig } from '../config/load-config';
import { createLogger, fastifyLogging, logRequests, requestId, requestLogLevel } from './logging';
import { loggingModule } from './logging.module';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(32),
  API_TOKEN: 'y'.repeat(16),
  VONAGE_ALLOW_UNSIGNED: 'true',
  PUBLIC_URL: 'https://support.example.com',
  SANDBOX: 'true',
};

describe(createLogger.name, () => {
  it('writes JSON lines with secrets and tokens redacted', () => {
    const out = capture();
    const sut = createLogger(loadConfig({ ...PRODUCTION, LOG_LEVEL: 'info' }), out.stream);

    sut.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'sb_refresh=xyz', accept: 'text/html' } },
        body: { token: 'link-token', password: 'hunter22', 'api-key': 'abcd1234', sig: 'f00', text: 'hello' },
      },
      'something happened',
    );

    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 30,
      service: 'switchboard',
      msg: 'something happened',
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'text/html' } },
      body: {
        token: '[redacted]',
        password: '[redacted]',
        'api-key': '[redacted]',
        sig: '[redacted]',
        text: 'hello',
      },
    });
    expect(JSON.stringify(line)).not.toMatch(/abc|xyz|link-token|hunter22|abcd1234/);
  });
});

describe("Nest's start-up lines", () => {
  it('are debug, not info; their warnings stay warnings', () => {
    const info = capture();
    const debug = capture();
    for (const [out, level] of [
      [info, 'info'],
      [debug, 'debug'],
    ] as const) {
      const sut = createLogger(loadConfig({ ...PRODUCTION, LOG_LEVEL: level }), out.stream);
      sut.info({ context: 'RouterExplorer' }, 'Mapped {/api/tickets, GET} route');
      sut.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
      sut.warn({ context: 'InstanceLoader' }, 'something odd');
      sut.info({ context: 'Switchboard' }, 'Switchboard is up');
    }

    expect(info.lines().map(({ level, msg }) => ({ level, msg }))).toEqual([
      { level: 40, msg: 'something odd' },
      { level: 30, msg: 'Switchboard is up' },
    ]);
    expect(debug.lines().map(({ level, msg }) => ({ level, msg }))).toEqual([
      { level: 20, msg: 'Mapped {/api/tickets, GET} route' },
      { level: 20, msg: 'AppModule dependencies initialized' },
      { level: 40, msg: 'something odd' },
      { level: 30, msg: 'Switchboard is up' },
    ]);
  });
});

describe(requestId.name, () => {
  it("keeps a caller's id that looks like one, and makes a new one otherwise", () => {
    expect(requestId({ headers: { 'x-request-id': 'req-42.a:b' } })).toBe('req-42.a:b');
    expect(requestId({ headers: { 'x-request-id': 'bad id\nwith newline' } })).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId({ headers: {} })).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe(requestLogLevel.name, () => {
  it.each([
    ['GET', '/', 200, 'debug'],
    ['HEAD', '/', 200, 'debug'],
    ['GET', '/favicon.ico', 200, 'debug'],
    ['GET', '/assets/index-BRa3oUV2.js', 200, 'debug'],
    ['GET', '/sandbox/phone', 200, 'debug'],
    ['GET', '/chat/42/7', 304, 'debug'],
    ['GET', '/socket.io/', 200, 'debug'],
    ['POST', '/socket.io/', 200, 'debug'],
    ['GET', '/api/sandbox/phones/+447700900001/messages', 200, 'debug'],
    ['GET', '/api/sandbox/emails', 200, 'debug'],
    ['GET', '/api/docs', 200, 'debug'],
    ['GET', '/health/ready', 200, 'debug'],
    ['GET', '/metrics', 200, 'debug'],
    ['POST', '/webhooks/inbound-sms', 204, 'debug'],
    ['GET', '/support', 204, 'debug'],
    ['POST', '/api/sandbox/sign-webhook', 200, 'info'],
    ['GET', '/api/tickets', 200, 'info'],
    ['GET', '/api/site', 200, 'info'],
    ['POST', '/api/orders', 201, 'info'],
    ['POST', '/order', 201, 'info'],
    ['GET', '/assets/old-1234.js', 404, 'warn'],
    ['GET', '/api/sandbox/emails', 401, 'warn'],
    ['POST', '/webhooks/inbound-sms', 401, 'warn'],
    ['GET', '/', 500, 'error'],
  ])('%s %s answered %d: %s', (method, path, status, level) => {
    expect(requestLogLevel(method, path, status)).toBe(level);
  });
});

/** A service logging the ways ours can: Nest's `Logger`, and nestjs-pino's injected `PinoLogger`. */
@Injectable()
class Greeter {
  private readonly logger = new Logger(Greeter.name);

  constructor(private readonly pino: PinoLogger) {
    pino.setContext(Greeter.name);
  }

  async greet(name: string): Promise<string> {
    this.logger.log(`greeting ${name}`);
    await sleep(20);
    this.pino.info({ name }, 'greeted');
    return `hello ${name}`;
  }
}

@Controller()
class GreeterController {
  constructor(private readonly greeter: Greeter) {}

  @Get('api/hello')
  hello(@Query('name') name: string): Promise<string> {
    return this.greeter.greet(name);
  }

  /** As the sandbox mailbox page polls it. */
  @Get('api/sandbox/emails')
  emails(): unknown[] {
    return [];
  }

  /** As a path-token guard answers a wrong token. */
  @Post('webhooks/rtc/:token')
  rtc(): void {
    throw new NotFoundException();
  }

  @Post('webhooks/inbound-sms')
  @HttpCode(204)
  inbound(@Body() body: Record<string, string>): void {
    new Logger('InboundSms').warn({ msg: 'odd webhook', body, authorization: 'Bearer abc' });
  }
}

/** createApp's logging, on a controller of its own: the lines as an operator would read them. */
describe('logging during a request', () => {
  const out = capture();
  let app: NestFastifyApplication;
  const lines = () => out.lines();

  beforeAll(async () => {
    @Module({ imports: [loggingModule()], controllers: [GreeterController], providers: [Greeter] })
    class TestModule {}
    const logger = createLogger(loadConfig({ ...PRODUCTION, LOG_LEVEL: 'info' }), out.stream);
    app = await NestFactory.create<NestFastifyApplication>(
      TestModule,
      new FastifyAdapter(fastifyLogging(logger)),
      {
        bufferLogs: true,
      },
    );
    app.useLogger(app.get(PinoNestLogger));
    app.flushLogs();
    logRequests(app.getHttpAdapter().getInstance());
    await app.init();
  });

  afterAll(() => app.close());

  it('tags the request line with the id of X-Request-Id; services log through the same JSON logger', async () => {
    const [ann, bob] = await Promise.all([
      app.inject({ url: '/api/hello?name=ann', headers: { 'x-request-id': 'req-ann' } }),
      app.inject({ url: '/api/hello?name=bob' }),
    ]);

    expect(ann.headers['x-request-id']).toBe('req-ann');
    const bobId = bob.headers['x-request-id'] as string;
    expect(bobId).toMatch(/^[0-9a-f-]{36}$/);
    for (const [id, name] of [
      ['req-ann', 'ann'],
      [bobId, 'bob'],
    ] as const) {
      expect(lines().filter((line) => line.requestId === id && line.msg === 'request')).toEqual([
        expect.objectContaining({
          level: 30,
          method: 'GET',
          path: '/api/hello',
          status: 200,
          ip: '127.0.0.1',
        }),
      ]);
      expect(lines()).toContainEqual(
        expect.objectContaining({
          level: 30,
          service: 'switchboard',
          context: 'Greeter',
          msg: `greeting ${name}`,
        }),
      );
      expect(lines()).toContainEqual(
        expect.objectContaining({ level: 30, context: 'Greeter', name, msg: 'greeted' }),
      );
    }
    // Lines the service wrote while handling each request carry that request's id, though the two overlapped.
    for (const [id, name] of [
      ['req-ann', 'ann'],
      [bobId, 'bob'],
    ] as const) {
      expect(lines().filter((line) => line.context === 'Greeter' && line.requestId === id)).toEqual([
        expect.objectContaining({ msg: `greeting ${name}` }),
        expect.objectContaining({ msg: 'greeted', name }),
      ]);
    }
  });

  it('writes one line per request, without the query that can hold a token', async () => {
    const before = lines().length;
    await app.inject({ url: '/nope?token=link-token' });

    const written = lines().slice(before);
    expect(written).toEqual([
      expect.objectContaining({
        level: 40,
        method: 'GET',
        path: '/nope',
        status: 404,
        ip: '127.0.0.1',
        msg: 'request refused',
      }),
    ]);
    expect(JSON.stringify(written)).not.toContain('link-token');
  });

  it("writes no line at info for a page's poll", async () => {
    const before = lines().length;
    const response = await app.inject({ url: '/api/sandbox/emails' });

    expect(response.statusCode).toBe(200);
    expect(lines().slice(before)).toEqual([]);
  });

  it('masks the secret token of a webhook path', async () => {
    const before = lines().length;
    await app.inject({ method: 'POST', url: '/webhooks/rtc/s3cret-path-token-0123', payload: {} });

    const written = lines().slice(before);
    expect(written).toEqual([expect.objectContaining({ path: '/webhooks/rtc/[redacted]', status: 404 })]);
    expect(JSON.stringify(written)).not.toContain('s3cret-path-token-0123');
  });

  it('redacts secrets in what a service logs during a request, after the body is read', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/inbound-sms',
      headers: { 'x-request-id': 'req-sms' },
      payload: { msisdn: '447700900001', 'api-key': 'abcd1234', sig: 'f00d', text: 'hi' },
    });

    expect(response.statusCode).toBe(204);
    const written = lines().filter((line) => line.context === 'InboundSms');
    expect(written).toEqual([
      expect.objectContaining({
        level: 40,
        context: 'InboundSms',
        msg: 'odd webhook',
        authorization: 'Bearer abc', // a field named so is not a header: only req.headers.authorization is
        body: { msisdn: '447700900001', 'api-key': '[redacted]', sig: '[redacted]', text: 'hi' },
      }),
      // Routine webhooks are logged at debug, below this LOG_LEVEL.
    ]);
    expect(JSON.stringify(written)).not.toMatch(/abcd1234|f00d/);
  });

  it('logs out of a request on the same logger', () => {
    new Logger('Jobs').log('job done');

    expect(lines().at(-1)).toEqual({
      level: 30,
      time: expect.any(Number),
      service: 'switchboard',
      context: 'Jobs',
      msg: 'job done',
    });
  });
});
