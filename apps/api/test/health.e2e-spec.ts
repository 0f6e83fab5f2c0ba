import { migrations } from '../src/database/migrations';
import { capturedLog, startTestApp, type TestApp } from './support/test-app';

describe('GET /health', () => {
  const log = capturedLog();
  let sut: TestApp;

  beforeEach(async () => {
    sut = await startTestApp({ env: { LOG_LEVEL: 'info' }, logTo: log.stream });
  });

  afterEach(async () => {
    await sut.close();
  });

  it('is ok once the database answers and the migrations ran', async () => {
    const response = await fetch(`${sut.baseUrl}/health`);

    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ status: 'ok' });
    await expect(sut.db.query('SELECT count(*)::int AS n FROM migrations')).resolves.toEqual([
      { n: migrations.length },
    ]);
  });

  it('has liveness and readiness probes: database, migrations and job queue', async () => {
    const live = await fetch(`${sut.baseUrl}/health/live`);
    const ready = await fetch(`${sut.baseUrl}/health/ready`);

    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    await expect(ready.json()).resolves.toEqual({ status: 'ok' });
  });

  it('answers 503 naming the database when it is gone, with the error itself only in the log', async () => {
    await sut.db.drop();

    const response = await fetch(`${sut.baseUrl}/health`);

    expect(response.status).toBe(503);
    const text = await response.text();
    const body = JSON.parse(text) as { status: string; failing: Record<string, string>; errorId: string };
    expect(body).toEqual({
      status: 'error',
      failing: { database: 'unreachable' },
      errorId: expect.any(String),
    });
    // Nothing of the driver's message (the database's name, host, port) reaches an anonymous caller …
    expect(text).not.toContain(sut.db.name);
    expect(text).not.toMatch(/127\.0\.0\.1|does not exist|terminat/);
    // … it is in the log, under the id the answer carries.
    const logged = log.lines().find((line) => String(line.msg).includes(body.errorId));
    expect(String(logged?.msg)).toMatch(/database unreachable: .*(terminat|does not exist|connection)/i);

    const ready = await fetch(`${sut.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    await expect(ready.json()).resolves.toMatchObject({
      status: 'error',
      failing: { database: 'unreachable' },
      errorId: expect.any(String),
    });
    expect((await fetch(`${sut.baseUrl}/health/live`)).status).toBe(200);
  });
});
