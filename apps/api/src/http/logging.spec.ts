import { Writable } from 'node:stream';
import { loadConfig } from '../config/load-config';
import { createLogger, requestId } from './logging';

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

describe(createLogger.name, () => {
  it('writes JSON lines with secrets and tokens redacted', () => {
    const out = capture();
    const sut = createLogger(
      loadConfig({
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        JWT_SECRET: 'x'.repeat(32),
        API_TOKEN: 'y'.repeat(16),
        VONAGE_ALLOW_UNSIGNED: 'true',
      }),
      out.stream,
    );

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

describe(requestId.name, () => {
  it("keeps a caller's id that looks like one, and makes a new one otherwise", () => {
    expect(requestId({ headers: { 'x-request-id': 'req-42.a:b' } })).toBe('req-42.a:b');
    expect(requestId({ headers: { 'x-request-id': 'bad id\nwith newline' } })).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId({ headers: {} })).toMatch(/^[0-9a-f-]{36}$/);
  });
});
