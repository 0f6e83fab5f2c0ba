import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';

describe('HTTP surface', () => {
  let sut: TestApp;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'switchboard-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(
      join(webRoot, 'index.html'),
      '<!doctype html><title>Switchboard</title><div id="app"></div>',
    );
    await writeFile(join(webRoot, 'assets', 'index-abc123.js'), 'console.log("app")');
    sut = await startTestApp({
      webRoot,
      env: { SUPPORT_COMPANY_NAME: 'Globex', VONAGE_NUMBER: '15551234567' },
    });
  });

  afterAll(async () => {
    await sut.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  const get = (path: string, accept = 'text/html') => fetch(`${sut.baseUrl}${path}`, { headers: { accept } });

  it('tells the public pages who we are and which number to text', async () => {
    const response = await get('/api/site', 'application/json');

    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({
      companyName: 'Globex',
      supportNumber: '+15551234567',
      sandbox: { phone: true, mailbox: true, shop: true, integrationToken: true, agentsOnly: false },
      demoAgent: { email: 'agent@switchboard.local', password: 'start-up-log' },
    });
  });

  it('serves the web app at / and its client-side routes, never cached', async () => {
    for (const path of ['/', '/chat/123/456?token=abc', '/agent']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      await expect(response.text()).resolves.toContain('<div id="app">');
    }
  });

  it('tags every answer with a request id, keeping a sensible one the caller sent', async () => {
    const mine = await fetch(`${sut.baseUrl}/api/site`, { headers: { 'x-request-id': 'shop-req-42' } });
    const fresh = await fetch(`${sut.baseUrl}/api/nope`);

    expect(mine.headers.get('x-request-id')).toBe('shop-req-42');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers, and a content security policy with the pages', async () => {
    const page = await get('/agent');
    const api = await get('/api/site', 'application/json');

    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('serves hashed assets cached for good', async () => {
    const response = await get('/assets/index-abc123.js', '*/*');

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await expect(response.text()).resolves.toBe('console.log("app")');
  });

  it.each(['/api/nope', '/assets/gone-999.js', '/webhooks/nope'])(
    'answers %s with a JSON 404',
    async (path) => {
      const response = await get(path);

      expect(response.status).toBe(404);
      await expect(response.json()).resolves.toMatchObject({ statusCode: 404, code: 'request/not_found' });
    },
  );

  it('answers broken JSON with a 400 that says so', async () => {
    const response = await fetch(`${sut.baseUrl}/api/site`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken',
    });

    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toMatchObject({
      code: 'request/malformed_body',
      message: expect.stringMatching(/JSON/),
    });
  });

  it('answers an oversized body with 413, not 500', async () => {
    const response = await fetch(`${sut.baseUrl}/api/site`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }),
    });

    expect(response.status).toBe(413);
    await expect(response.json()).resolves.toMatchObject({ code: 'request/payload_too_large' });
  });
});
