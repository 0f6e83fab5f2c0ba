import { migrations } from '../src/database/migrations';
import { startTestApp, type TestApp } from './support/test-app';

describe('GET /health', () => {
  let sut: TestApp;

  beforeEach(async () => {
    sut = await startTestApp();
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
    await expect(ready.json()).resolves.toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, migrations: { status: 'up' }, jobs: { status: 'up' } },
    });
  });

  it('answers 503 naming the database when it is gone', async () => {
    await sut.db.drop();

    const response = await fetch(`${sut.baseUrl}/health`);

    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; failing: Record<string, string> };
    expect(body.status).toBe('error');
    expect(Object.keys(body.failing)).toEqual(['database']);
    expect(body.failing.database).toMatch(/^unreachable: /);
    const ready = await fetch(`${sut.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    await expect(ready.json()).resolves.toMatchObject({
      status: 'error',
      error: { database: { status: 'down' } },
    });
    expect((await fetch(`${sut.baseUrl}/health/live`)).status).toBe(200);
  });
});
