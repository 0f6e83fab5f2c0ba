import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { type Operation, operations } from './support/served-routes';
import { startTestApp, type TestApp } from './support/test-app';

type Responses = Operation['responses'];
type Response = NonNullable<Responses[string]>;
type ResolvedResponse = Exclude<Response, { $ref: string }>;

function resolve(document: OpenAPIObject, response: Response): ResolvedResponse {
  if (!('$ref' in response)) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  const target = document.components?.responses?.[name];
  if (!target || '$ref' in target) throw new Error(`Unresolved ${response.$ref}`);
  return target;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
    );
  }
  return [];
}

// Which routes the document holds, in each deployment, is the access table's to say
// (test/support/route-access.ts): authorization-matrix.e2e-spec.ts checks it against the document
// and the routes Nest mounted. This file checks what the document says about them.
describe('OpenAPI document and UI', () => {
  let sut: TestApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    sut = await startTestApp();
    const response = await fetch(`${sut.baseUrl}/api/docs-json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = (await response.json()) as OpenAPIObject;
  });

  afterAll(async () => {
    await sut.close();
  });

  it('is an OpenAPI 3 document about Switchboard', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info).toMatchObject({ title: 'Switchboard API', version: expect.any(String) });
    expect(document.info.description).toContain('docs/api.md');
  });

  it('gives each operation a tag, a summary, a unique id, and success answers with schema and example', () => {
    const tags = new Set((document.tags ?? []).map((tag) => tag.name));
    const ids = new Set<string>();
    const exampled = (response: ResolvedResponse) =>
      Object.values(response.content ?? {}).some(
        (media) =>
          media.schema !== undefined && (media.example !== undefined || media.examples !== undefined),
      );
    for (const [route, operation] of operations(document)) {
      expect([route, operation.tags?.length && operation.tags.every((tag) => tags.has(tag))]).toEqual([
        route,
        true,
      ]);
      expect([route, typeof operation.summary]).toEqual([route, 'string']);
      expect([route, ids.has(operation.operationId!)]).toEqual([route, false]);
      ids.add(operation.operationId!);

      const responses = Object.entries(operation.responses).map(
        ([status, response]) => [status, resolve(document, response!)] as const,
      );
      const successes = responses.filter(([status]) => /^2\d\d$/.test(status));
      expect([route, successes.length > 0]).toEqual([route, true]);
      for (const [status, response] of successes) {
        // 204 has no body; every other success shows its schema and an example body.
        if (status !== '204') expect([route, status, exampled(response)]).toEqual([route, status, true]);
      }
      expect([route, responses.some(([, response]) => exampled(response))]).toEqual([route, true]);
    }
  });

  it('answers every error with the ErrorResponse shape, 500 included', () => {
    const schema = document.components?.schemas?.ErrorResponse;
    expect(schema).toMatchObject({
      properties: {
        statusCode: expect.anything(),
        code: expect.anything(),
        message: expect.anything(),
        errors: expect.anything(),
        errorId: expect.anything(),
      },
      required: ['statusCode', 'code', 'message'],
    });
    for (const [route, operation] of operations(document)) {
      expect([route, Object.keys(operation.responses)]).toEqual([route, expect.arrayContaining(['500'])]);
      for (const [status, response] of Object.entries(operation.responses)) {
        // Readiness (terminus) answers 503 with its own report, like /health does.
        if (!/^[45]/.test(status) || status === '503') continue;
        const json = resolve(document, response!).content?.['application/json'];
        expect([route, status, json?.schema]).toEqual([
          route,
          status,
          { $ref: '#/components/schemas/ErrorResponse' },
        ]);
      }
    }
  });

  it('declares the security schemes and uses them on the routes they guard', () => {
    expect(document.components?.securitySchemes).toMatchObject({
      integrationToken: { type: 'http', scheme: 'bearer' },
      chatSession: { type: 'http', scheme: 'bearer' },
      agentToken: { type: 'http', scheme: 'bearer' },
      refreshCookie: { type: 'apiKey', in: 'cookie', name: 'sb_refresh' },
      metricsToken: { type: 'http', scheme: 'bearer' },
    });
    const security = Object.fromEntries(
      operations(document).map(([route, operation]) => [route, operation.security]),
    );
    const routes = Object.keys(security);
    for (const route of routes.filter((r) => /\/api\/(users|orders)|\/user$|\/order$/.test(r))) {
      expect([route, security[route]]).toEqual([route, [{ integrationToken: [] }]]);
    }
    for (const route of routes.filter((r) => /\/api\/(tickets|agents|auth\/me)/.test(r))) {
      expect([route, security[route]]).toEqual([route, [{ agentToken: [] }]]);
    }
    expect(security['GET /api/chat/conversations/{id}']).toEqual([{ chatSession: [] }]);
    expect(security['POST /api/auth/refresh']).toEqual([{ refreshCookie: [] }]);
    expect(security['POST /api/chat/session']).toBeUndefined();
    expect(security['POST /webhooks/inbound-sms']).toBeUndefined();
  });

  it("names Vonage's hyphenated parameters as Vonage sends them, in all three formats", () => {
    const inbound = document.components?.schemas?.InboundSmsParams as {
      properties: object;
      required: string[];
    };
    expect(Object.keys(inbound.properties)).toEqual(
      expect.arrayContaining([
        'msisdn',
        'to',
        'messageId',
        'text',
        'message-timestamp',
        'api-key',
        'concat-ref',
      ]),
    );
    expect(Object.keys(inbound.properties)).toEqual(
      expect.arrayContaining(['concat-total', 'concat-part', 'sig']),
    );
    expect(inbound.required).toEqual(['msisdn', 'to', 'messageId']);
    const receipt = document.components?.schemas?.DeliveryReceiptParams as { properties: object };
    expect(Object.keys(receipt.properties)).toEqual(
      expect.arrayContaining([
        'messageId',
        'status',
        'err-code',
        'client-ref',
        'network-code',
        'message-timestamp',
      ]),
    );

    const query = (route: string) =>
      (operations(document).find(([r]) => r === route)?.[1].parameters ?? []).map((p) =>
        'name' in p ? `${p.in}:${p.name}` : p.$ref,
      );
    expect(query('GET /support')).toEqual(
      expect.arrayContaining([
        'query:msisdn',
        'query:message-timestamp',
        'query:concat-ref',
        'query:api-key',
      ]),
    );
    expect(query('GET /webhooks/sms-status/{token}')).toEqual(
      expect.arrayContaining(['path:token', 'query:err-code', 'query:client-ref']),
    );
    const body = operations(document).find(([r]) => r === 'POST /webhooks/inbound-sms/{token}')![1]
      .requestBody;
    expect(body).toMatchObject({
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/InboundSmsParams' } },
        'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/InboundSmsParams' } },
      },
    });
  });

  it('declares every path parameter and resolves every reference', () => {
    for (const [route, operation] of operations(document)) {
      const inPath = [...route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = (operation.parameters ?? [])
        .filter((p) => 'in' in p && p.in === 'path')
        .map((p) => ('name' in p ? p.name : ''))
        .sort();
      expect([route, declared]).toEqual([route, inPath]);
    }
    for (const ref of refsIn(document)) {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      const components = document.components as Record<string, Record<string, unknown> | undefined>;
      expect([ref, Boolean(section && name && components[section!]?.[name!])]).toEqual([ref, true]);
    }
  });

  it('serves swagger-ui at /api/docs with its assets', async () => {
    const response = await fetch(`${sut.baseUrl}/api/docs`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Switchboard API</title>');
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((match) => match[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/swagger-ui-bundle\.js$/),
        expect.stringMatching(/swagger-ui-init\.js$/),
      ]),
    );
    for (const asset of assets) {
      const url = new URL(asset, `${sut.baseUrl}/api/docs`);
      const file = await fetch(url);
      expect([url.pathname, file.status]).toEqual([url.pathname, 200]);
      await file.arrayBuffer();
    }
    const init = await (await fetch(`${sut.baseUrl}/api/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('"title": "Switchboard API"');
    for (const path of ['/api/docs/', '/api/docs-yaml']) {
      const other = await fetch(`${sut.baseUrl}${path}`);
      await other.arrayBuffer();
      expect([path, other.status]).toEqual([path, 200]);
    }
  });
});

describe('OpenAPI UI next to the web app', () => {
  it('serves swagger-ui and its assets while the SPA serves its pages', async () => {
    const webRoot = await mkdtemp(join(tmpdir(), 'switchboard-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Switchboard web</title>');
    await writeFile(join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)');
    const sut = await startTestApp({ webRoot });
    try {
      const page = (path: string) => fetch(`${sut.baseUrl}${path}`, { headers: { accept: 'text/html' } });

      const ui = await page('/api/docs');
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('<title>Switchboard API</title>');
      for (const asset of [
        '/api/docs/swagger-ui-bundle.js',
        '/api/docs/swagger-ui.css',
        '/api/docs/swagger-ui-init.js',
      ]) {
        const file = await fetch(`${sut.baseUrl}${asset}`);
        await file.arrayBuffer(); // unread, a large body would keep the server from closing
        expect([asset, file.status]).toEqual([asset, 200]);
      }
      const json = await fetch(`${sut.baseUrl}/api/docs-json`);
      await json.arrayBuffer();
      expect(json.status).toBe(200);
      expect(await (await page('/agent')).text()).toContain('<title>Switchboard web</title>');
      expect((await fetch(`${sut.baseUrl}/assets/app-1234.js`)).status).toBe(200);
      expect((await page('/api/docs/missing.js')).status).toBe(404);
    } finally {
      await sut.close();
      await rm(webRoot, { recursive: true, force: true });
    }
  });
});
