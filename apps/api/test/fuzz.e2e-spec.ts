import type { OpenAPIObject } from '@nestjs/swagger';
import { ChatEvent, ErrorCode } from '@switchboard/contracts';
import { Tag } from '../src/http/openapi';
import { ChatClient } from './support/chat-clients';
import { DEVELOPMENT, type RunningDeployment, startDeployment } from './support/deployments';
import { eventually } from './support/eventually';
import { type Cast, castFor, type PrincipalName } from './support/principals';
import { inboundSms } from './support/sms-webhooks';
import { admittedPrincipal, expectedStatus, ROUTE_ACCESS } from './support/route-access';
import {
  callRoute,
  errorShapeProblem,
  inParallel,
  type RawRequest,
  type RouteCall,
} from './support/route-requests';
import { openApiDocument, type Operation, operations } from './support/served-routes';

/**
 * Every route of the document, sent what no honest client sends: broken JSON, each documented field
 * of the wrong type or out of its bounds, bodies over the 1 MiB limit, `__proto__`, `constructor`
 * and `prototype` keys, NUL and lone surrogates in every text, path parameter and query parameter.
 * Each time: a 4xx ErrorResponse that names the field at fault, never a 5xx, and nothing stored.
 * Generation is seeded (FUZZ_SEED overrides), so a failure is reproduced by running it again.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261103);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
};

interface FuzzCase {
  what: string;
  request: RawRequest;
  /** The field the 4xx must name (a field-level problem). */
  field?: string;
  /** The one status it must get. */
  status?: number;
  /** Taken on purpose (free text kept with U+FFFD, a parameter read leniently): must not fail, may store. */
  lenient?: boolean;
}

/**
 * Where the API takes more than its schema says, on purpose. Vonage's webhooks take numbers and
 * booleans as their text, keep parameters they do not know, and keep what a phone sent (NUL and lone
 * surrogates become U+FFFD); so does a chat message, as it does over the socket.
 */
const KEPT_TEXT: Record<string, string[]> = {
  'POST /api/chat/conversations/{id}/messages': ['body'],
};
/** Query parameters documented as read leniently ("anything not a number means 100"). */
const LENIENT_QUERY: Record<string, string[]> = {
  'GET /api/chat/conversations/{id}': ['limit', 'beforeSeq'],
};

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';
/** Percent-encoded for a URL: NUL, and the UTF-8-like bytes of a lone surrogate (not valid UTF-8). */
const RAW_NUL = '%00';
const RAW_LONE_SURROGATE = '%ED%A0%80';
const ONE_MIB = 1024 * 1024;

interface Regression {
  route: string;
  as: PrincipalName | undefined;
  request: (cast: Cast) => RawRequest;
  answer: { status: number; field?: string; code?: string };
}

/** What the fuzzing found, each answered as it should be now (what it was, in the name). */
const REGRESSIONS: Record<string, Regression> = {
  'NUL in a customer name was a 500': {
    route: 'POST /api/users',
    as: 'integration',
    request: () => ({ body: { username: 'nul-name', name: `Ada${NUL}` } }),
    answer: { status: 400, field: 'name' },
  },
  'a lone surrogate in an email was a 500': {
    route: 'POST /api/auth/login',
    as: 'anonymous',
    request: () => ({ body: { email: `ada${LONE_SURROGATE}@example.com`, password: 'whatever it is' } }),
    answer: { status: 400, field: 'email' },
  },
  'NUL in a username in the path was a 500': {
    route: 'GET /api/users/{username}/orders',
    as: 'integration',
    request: () => ({ rawParams: { username: `ada${RAW_NUL}` } }),
    answer: { status: 400, field: 'username' },
  },
  'NUL in the search query was a 500': {
    route: 'GET /api/tickets',
    as: 'agent',
    request: () => ({ rawQuery: `q=refund${RAW_NUL}` }),
    answer: { status: 400, field: 'q' },
  },
  'a page past any bigint was a 500': {
    route: 'GET /api/tickets',
    as: 'agent',
    request: () => ({ query: { page: '9'.repeat(20) } }),
    answer: { status: 400, field: 'page' },
  },
  'a ticket id that is not a number, when resending, was a 500': {
    route: 'POST /api/tickets/{id}/messages/{messageId}/resend',
    as: 'agent',
    request: ({ smsTicket }) => ({ params: { id: 'abc', messageId: smsTicket.failedMessageId } }),
    answer: { status: 404, code: ErrorCode.NotFound },
  },
  'a beforeSeq past any bigint was a 500': {
    route: 'GET /api/chat/conversations/{id}',
    as: 'customerA',
    request: ({ customerA }) => ({
      params: { id: customerA.conversationId },
      query: { beforeSeq: '9'.repeat(20) },
    }),
    answer: { status: 200 },
  },
  'a beforeSeq past the int a seq is was a 500': {
    route: 'GET /api/chat/conversations/{id}',
    as: 'customerA',
    request: ({ customerA }) => ({
      params: { id: customerA.conversationId },
      query: { beforeSeq: '3000000000' },
    }),
    answer: { status: 200 },
  },
  'a read marker past the int a seq is was a 500': {
    route: 'POST /api/tickets/{id}/read',
    as: 'agent',
    request: ({ customerC }) => ({ params: { id: customerC.conversationId }, body: { seq: 3_000_000_000 } }),
    answer: { status: 400, field: 'seq' },
  },
  'a limit of 1.5 was a 400 naming no field (the document says: anything not a whole number means 100)': {
    route: 'GET /api/chat/conversations/{id}',
    as: 'customerA',
    request: ({ customerA }) => ({ params: { id: customerA.conversationId }, query: { limit: '1.5' } }),
    answer: { status: 200 },
  },
  'a body nested 10 000 deep was a 500': {
    route: 'PATCH /api/tickets/{id}',
    as: 'agent',
    request: ({ customerC }) => ({
      params: { id: customerC.conversationId },
      rawBody: `{"status":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    }),
    answer: { status: 400, field: 'status.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0' },
  },
  'a JSON null body changed nothing and answered 200': {
    route: 'PATCH /api/users/{username}',
    as: 'integration',
    request: ({ customerC }) => ({ params: { username: customerC.username }, rawBody: 'null' }),
    answer: { status: 400, field: 'body' },
  },
  'a __proto__ key was "Body is not valid JSON"': {
    route: 'POST /api/orders',
    as: 'integration',
    request: ({ customerC }) => ({
      rawBody: `{"username":"${customerC.username}","items":[{"__proto__":{"polluted":true},"name":"Widget","quantity":1,"unitPrice":1}]}`,
    }),
    answer: { status: 400, field: 'items.0.__proto__' },
  },
  'a prototype key was dropped unseen, and the order placed': {
    route: 'POST /api/orders',
    as: 'integration',
    request: ({ customerC }) => ({
      body: {
        username: customerC.username,
        items: [{ name: 'Widget', quantity: 1, unitPrice: 1 }],
        prototype: {},
      },
    }),
    answer: { status: 400, field: 'prototype' },
  },
  'a __proto__ form field was dropped unseen, and the order placed': {
    route: 'POST /order',
    as: 'integration',
    request: ({ customerC }) => ({
      rawBody: `username=${customerC.username}&__proto__=x`,
      contentType: 'application/x-www-form-urlencoded',
    }),
    answer: { status: 400, field: '__proto__' },
  },
  'a repeated query parameter reached the handler as an array': {
    route: 'GET /api/chat/conversations/{id}',
    as: 'customerA',
    request: ({ customerA }) => ({
      params: { id: customerA.conversationId },
      rawQuery: 'orderId=1&orderId=2',
    }),
    answer: { status: 400, field: 'orderId' },
  },
  'a text/plain body reached the validation as a string': {
    route: 'POST /api/auth/login',
    as: 'anonymous',
    request: () => ({ rawBody: 'email=ada@example.com', contentType: 'text/plain' }),
    answer: { status: 415, code: ErrorCode.UnsupportedMediaType },
  },
  'a path that is not UTF-8 was answered by Fastify, not in our shape': {
    route: 'GET /api/tickets/{id}',
    as: 'agent',
    request: () => ({ rawParams: { id: `1${RAW_LONE_SURROGATE}` } }),
    answer: { status: 404, code: ErrorCode.NotFound },
  },
  'an over-long path segment was a 414 in Fastify’s shape': {
    route: 'GET /api/tickets/{id}',
    as: 'agent',
    request: () => ({ rawParams: { id: '1'.repeat(400) } }),
    answer: { status: 404, code: ErrorCode.NotFound },
  },
  'a concat-ref of any length was stored when concat was absent': {
    route: 'POST /webhooks/inbound-sms',
    as: undefined,
    request: () => ({ body: { ...inboundSms(), 'concat-ref': 'x'.repeat(33) } }),
    answer: { status: 400, field: 'concat-ref' },
  },
  'the webhook signer turned an object into "[object Object]" and signed it': {
    route: 'POST /api/sandbox/sign-webhook',
    as: undefined,
    request: () => ({ body: { params: { ...inboundSms(), text: { nested: true } } } }),
    answer: { status: 400, field: 'params.text' },
  },
};

interface RoutePlan {
  route: string;
  /** Whom the access table lets in, so the cases reach validation. */
  principal: PrincipalName | undefined;
  cases: FuzzCase[];
}

describe('Fuzzing every route', () => {
  let running: RunningDeployment;
  let cast: Cast;
  let document: OpenAPIObject;
  let plans: RoutePlan[];

  beforeAll(async () => {
    running = await startDeployment(DEVELOPMENT);
    [cast, document] = await Promise.all([castFor(running), openApiDocument(running.sut.baseUrl)]);
    const random = mulberry32(SEED);
    plans = operations(document).flatMap(([route, operation]) => {
      const row = ROUTE_ACCESS[route];
      if (!row) return [];
      const valid = row.request?.(cast, DEVELOPMENT) ?? {};
      const principal = admittedPrincipal(row, DEVELOPMENT);
      return [{ route, principal, cases: casesFor(route, operation, valid, document, random) }];
    });
    await settled(running);
  });

  afterAll(async () => {
    await running?.close();
  });

  const bearer = (principal: PrincipalName | undefined) => principal && cast.bearer[principal];

  it('has a row in the access table for every route it fuzzes', () => {
    expect(operations(document).filter(([route]) => !ROUTE_ACCESS[route])).toEqual([]);
  });

  it('answers every malformed request with a 4xx naming the field, never a 5xx, and stores nothing', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const { route, principal, cases } of plans) {
      const before = await snapshot(running);
      const calls = await inParallel(
        cases.filter((fuzz) => !fuzz.lenient),
        8,
        async (fuzz) => ({
          fuzz,
          call: await callRoute(running.sut.baseUrl, route, fuzz.request, bearer(principal)),
        }),
      );
      sent += calls.length;
      for (const { fuzz, call } of calls) {
        const problem = judge(fuzz, call);
        if (problem) failures.push(`${route} ${fuzz.what}: ${problem}`);
      }
      const after = await snapshot(running);
      const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
      if (changed.length > 0) failures.push(`${route}: stored something in ${changed.join(', ')}`);
    }

    expect(failures).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(sent).toBeGreaterThan(1000);
  });

  it('asks who is calling before it looks at the fields: validation never answers a caller the route refuses', async () => {
    const refused = plans
      .filter(({ route }) => expectedStatus(ROUTE_ACCESS[route]!, DEVELOPMENT, 'anonymous') === 401)
      .flatMap(({ route, cases }) =>
        cases
          .filter((fuzz) => /instead of|outside its enum|longer than|past any bigint/.test(fuzz.what))
          .map((fuzz) => ({ route, fuzz })),
      );
    const answers = await inParallel(refused, 8, async ({ route, fuzz }) => {
      const call = await callRoute(running.sut.baseUrl, route, fuzz.request);
      return `${route} ${fuzz.what}: ${call.status}`;
    });

    expect(answers.filter((answer) => !answer.endsWith(': 401'))).toEqual([]);
    expect(answers.length).toBeGreaterThan(50);
  });

  it.each(Object.keys(REGRESSIONS))('answers what it got wrong before: %s', async (name) => {
    const { route, as, request, answer } = REGRESSIONS[name]!;
    const before = await snapshot(running);

    const call = await callRoute(running.sut.baseUrl, route, request(cast), bearer(as));

    expect(call.status).toBe(answer.status);
    if (answer.code) expect(call.body).toMatchObject({ code: answer.code });
    if (answer.field) {
      expect(call.body).toMatchObject({
        code: ErrorCode.ValidationFailed,
        errors: expect.arrayContaining([expect.objectContaining({ field: answer.field })]),
      });
    }
    expect(await snapshot(running)).toEqual(before);
  });

  it('answers socket events past the int a seq is as it does over HTTP: ignored, or refused naming seq', async () => {
    const socket = await ChatClient.connect(running.sut.baseUrl, cast.customerA.accessToken);
    try {
      const joined = await socket.join(cast.customerA.conversationId, 3_000_000_000);
      const read = await socket.request(ChatEvent.Read, {
        conversationId: cast.customerA.conversationId,
        seq: 3_000_000_000,
      });

      expect(joined).toMatchObject({ ok: true });
      expect(read).toEqual({
        ok: false,
        error: expect.objectContaining({ code: ErrorCode.ValidationFailed }),
      });
    } finally {
      socket.close();
    }
  });

  // Last: what it takes may be stored, and queue work in the background.
  it('takes free text with NUL or lone surrogates, and leniently read parameters, without failing', async () => {
    const lenient = plans.flatMap(({ route, principal, cases }) =>
      cases.filter((fuzz) => fuzz.lenient).map((fuzz) => ({ route, principal, fuzz })),
    );
    const failures: string[] = [];
    await inParallel(lenient, 4, async ({ route, principal, fuzz }) => {
      const call = await callRoute(running.sut.baseUrl, route, fuzz.request, bearer(principal));
      if (call.status >= 500 || errorShapeProblem(call)) {
        failures.push(`${route} ${fuzz.what}: ${call.status} ${JSON.stringify(call.body)}`);
      }
    });

    expect(failures).toEqual([]);
    expect(lenient.length).toBeGreaterThan(100);
  });
});

/** What is wrong with the answer to a fuzz case, if anything. */
function judge(fuzz: FuzzCase, call: RouteCall): string | undefined {
  const said = `${call.status} ${JSON.stringify(call.body).slice(0, 300)}`;
  if (fuzz.status !== undefined && call.status !== fuzz.status) return `expected ${fuzz.status}, got ${said}`;
  if (call.status < 400 || call.status >= 500) return `expected a 4xx, got ${said}`;
  const shape = errorShapeProblem(call);
  if (shape) return `not an ErrorResponse (${shape}): ${said}`;
  // 401, 403 and 404 name no field: who asks decides first, then whether the id names anything.
  if (fuzz.field === undefined || [401, 403, 404].includes(call.status)) return undefined;
  const body = call.body as { message: string; errors?: { field: string; message: string }[] };
  const named = body.errors
    ? body.errors.some((error) => error.field === fuzz.field || error.message.includes(fuzz.field!))
    : body.message.includes(fuzz.field.split('.').at(-1)!);
  return named ? undefined : `does not name ${fuzz.field}: ${said}`;
}

// ——— Generation ———

function casesFor(
  route: string,
  operation: Operation,
  valid: RawRequest,
  document: OpenAPIObject,
  random: () => number,
): FuzzCase[] {
  const provider = operation.tags?.includes(Tag.Webhooks) ?? false;
  const kept = new Set(KEPT_TEXT[route] ?? []);
  const cases: FuzzCase[] = [];
  const parameters = (operation.parameters ?? []).flatMap((parameter) =>
    'in' in parameter ? [parameter as { name: string; in: string; schema?: Schema }] : [],
  );

  for (const parameter of parameters.filter((p) => p.in === 'path')) {
    cases.push(...pathParameterCases(parameter.name, valid, random));
  }
  const queryParameters = parameters.filter((p) => p.in === 'query');
  if (queryParameters.length > 0) {
    cases.push(...queryCases(queryParameters, valid, provider, new Set(LENIENT_QUERY[route] ?? []), random));
  }

  const content = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
    ?.content;
  const jsonSchema = content?.['application/json']?.schema;
  if (jsonSchema && valid.body !== undefined) {
    const body = valid.body as { [key: string]: Json };
    const schema = resolve(document, jsonSchema);
    cases.push(...wholeBodyCases(valid, body));
    for (const field of fieldsOf(document, schema, body, [], true)) {
      cases.push(...fieldCases(valid, body, field, provider, kept, random));
    }
    if (schema.additionalProperties === undefined && !provider) {
      cases.push(withBody(valid, 'an unknown field', { ...body, surplus: 'x' }, 'surplus'));
      cases.push(
        withBody(valid, 'a field named with a NUL', { ...body, [`surplus${NUL}`]: 'x' }, `surplus${NUL}`),
      );
    }
    cases.push(...reservedKeyCases(valid, body, document, schema));
    if (content?.['application/x-www-form-urlencoded']) cases.push(...formCases(valid, body, provider));
  }
  return cases;
}

interface Field {
  path: (string | number)[];
  schema: Schema;
  required: boolean;
  value: Json | undefined;
}

/** Every documented field of a body, with nested objects and the first element of arrays of objects. */
function fieldsOf(
  document: OpenAPIObject,
  schema: Schema,
  value: Json | undefined,
  path: (string | number)[],
  required: boolean,
): Field[] {
  const resolved = resolve(document, schema);
  const fields: Field[] = path.length > 0 ? [{ path, schema: resolved, required, value }] : [];
  if (resolved.properties && isObject(value)) {
    for (const [name, inner] of Object.entries(resolved.properties)) {
      fields.push(
        ...fieldsOf(
          document,
          inner,
          value[name],
          [...path, name],
          resolved.required?.includes(name) ?? false,
        ),
      );
    }
  }
  if (typeof resolved.additionalProperties === 'object' && isObject(value)) {
    for (const [name, inner] of Object.entries(value).slice(0, 3)) {
      fields.push(...fieldsOf(document, resolved.additionalProperties, inner, [...path, name], false));
    }
  }
  if (resolved.items && Array.isArray(value) && value.length > 0) {
    const item = resolve(document, resolved.items);
    if (item.properties) fields.push(...fieldsOf(document, item, value[0], [...path, 0], true).slice(1));
    else fields.push(...fieldsOf(document, item, value[0], [...path, 0], true));
  }
  return fields;
}

function wholeBodyCases(valid: RawRequest, body: { [key: string]: Json }): FuzzCase[] {
  const text = JSON.stringify(body);
  const raw = (what: string, rawBody: string | Buffer, contentType?: string, status?: number): FuzzCase => ({
    what,
    request: { ...valid, body: undefined, rawBody, ...(contentType ? { contentType } : {}) },
    ...(status ? { status } : {}),
  });
  return [
    raw('malformed JSON', text.slice(0, -1), undefined, 400),
    raw('JSON with a trailing comma', `${text.slice(0, -1)},}`, undefined, 400),
    raw('an empty JSON body', '', undefined, 400),
    raw('a JSON array', `[${text}]`),
    raw('a JSON string', JSON.stringify(text)),
    raw('a JSON number', '42'),
    raw('JSON null', 'null'),
    raw('JSON in another encoding', Buffer.from(text, 'utf16le'), 'application/json; charset=utf-16le'),
    raw('text/plain', text, 'text/plain', 415),
    raw('a body over 1 MiB', JSON.stringify({ ...body, padding: 'x'.repeat(ONE_MIB) }), undefined, 413),
    raw('nesting 10 000 deep', `{"deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
  ];
}

function fieldCases(
  valid: RawRequest,
  body: { [key: string]: Json },
  { path, schema, required, value }: Field,
  provider: boolean,
  kept: Set<string>,
  random: () => number,
): FuzzCase[] {
  const field = path.join('.');
  const cases: FuzzCase[] = [];
  const set = (what: string, replacement: Json) =>
    cases.push(withBody(valid, `${field}: ${what}`, setAt(body, path, replacement), field));
  const type = schema.type ?? (schema.properties ? 'object' : undefined);

  for (const [name, wrong] of wrongTypes(type, random)) {
    // Webhooks take numbers and booleans as the text Vonage would have sent.
    if (provider && type === 'string' && (typeof wrong === 'number' || typeof wrong === 'boolean')) continue;
    set(`a ${name} instead of ${type}`, wrong);
  }
  if (required && !schema.nullable) set('null', null);

  if (type === 'string') {
    const text = typeof value === 'string' ? value : 'text';
    for (const [what, invalid] of invalidStrings(schema)) set(what, invalid);
    const free = !schema.pattern && !schema.format && !schema.enum;
    const keptHere = kept.has(field) || (provider && free);
    const at = Math.floor(random() * (text.length + 1));
    for (const [what, odd] of [
      ['a NUL', NUL],
      ['a lone surrogate', LONE_SURROGATE],
    ] as const) {
      const fuzz = withBody(
        valid,
        `${field}: ${what}`,
        setAt(body, path, text.slice(0, at) + odd + text.slice(at)),
        field,
      );
      cases.push(keptHere ? { ...fuzz, lenient: true } : fuzz);
    }
  }
  if (type === 'integer' || type === 'number') {
    if (type === 'integer') set('a fraction', 1.5);
    if (schema.minimum !== undefined) set('below its minimum', schema.minimum - 1);
    if (schema.maximum !== undefined) set('above its maximum', schema.maximum + 1);
    set('1e308, past any bigint', 1e308);
    // JSON's 1e999 parses to Infinity.
    const marker = 987654.321;
    cases.push({
      ...withBody(valid, `${field}: 1e999`, setAt(body, path, marker), field),
      request: {
        ...valid,
        body: undefined,
        rawBody: JSON.stringify(setAt(body, path, marker)).replace(String(marker), '1e999'),
      },
    });
  }
  if (type === 'array') {
    if (schema.minItems) set('too few items', []);
    if (schema.maxItems && Array.isArray(value)) {
      set(
        'too many items',
        Array.from({ length: schema.maxItems + 1 }, () => value[0] ?? null),
      );
    }
  }
  return cases;
}

/** A value of each JSON type other than `type` (numbers and strings drawn from the seeded stream). */
function wrongTypes(type: string | undefined, random: () => number): [string, Json][] {
  const samples: Record<string, Json> = {
    string: `fuzz-${Math.floor(random() * 1e6)}`,
    number: Math.floor(random() * 1e6) / 100,
    boolean: random() < 0.5,
    object: { fuzz: 'x' },
    array: ['fuzz'],
  };
  const same = type === 'integer' ? 'number' : type;
  return Object.entries(samples).filter(([name]) => name !== same);
}

/** Strings the schema refuses: past its length, outside its enum, pattern or format. */
function invalidStrings(schema: Schema): [string, string][] {
  const cases: [string, string][] = [];
  if (schema.maxLength !== undefined) cases.push(['longer than maxLength', 'x'.repeat(schema.maxLength + 1)]);
  if (schema.minLength) cases.push(['shorter than minLength', '']);
  if (schema.enum) cases.push(['outside its enum', 'not-one-of-them']);
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const miss = ['!', ' x', '-1', 'x'.repeat(300)].find((candidate) => !pattern.test(candidate));
    if (miss !== undefined) cases.push(['not matching its pattern', miss]);
  }
  if (schema.format === 'email') cases.push(['not an email', 'not-an-email']);
  if (schema.format === 'uuid') cases.push(['not a UUID', 'not-a-uuid']);
  return cases;
}

/** `__proto__`, `constructor` and `prototype` keys, at the top and in every nested object. */
function reservedKeyCases(
  valid: RawRequest,
  body: { [key: string]: Json },
  document: OpenAPIObject,
  schema: Schema,
): FuzzCase[] {
  const places: (string | number)[][] = [[]];
  for (const field of fieldsOf(document, schema, body, [], true)) {
    if (isObject(field.value)) places.push(field.path);
  }
  const marker = 'RESERVED_KEY_MARKER';
  return places.flatMap((place) =>
    (
      [
        ['__proto__', '{"polluted":true}'],
        ['constructor', '{"prototype":{"polluted":true}}'],
        ['prototype', '{"polluted":true}'],
      ] as const
    ).map(([key, raw]) => {
      const holder = getAt(body, place) as { [key: string]: Json };
      const text = JSON.stringify(setAt(body, place, { [marker]: 0, ...holder }));
      const field = [...place, key].join('.');
      return {
        what: `a ${key} key${place.length ? ` in ${place.join('.')}` : ''}`,
        request: { ...valid, body: undefined, rawBody: text.replace(`"${marker}":0`, `"${key}":${raw}`) },
        field,
      };
    }),
  );
}

/** The same body form-encoded: a repeated field, a NUL, reserved keys. */
function formCases(valid: RawRequest, body: { [key: string]: Json }, provider: boolean): FuzzCase[] {
  const entries = Object.entries(body).filter(([, value]) => typeof value === 'string') as [string, string][];
  const encoded = entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  const form = (what: string, rawBody: string, field: string, lenient = false): FuzzCase => ({
    what: `form: ${what}`,
    request: { ...valid, body: undefined, rawBody, contentType: 'application/x-www-form-urlencoded' },
    field,
    ...(lenient ? { lenient } : {}),
  });
  const cases = entries.flatMap(([key, value], index) => [
    form(`${key} twice`, [...encoded, encoded[index]].join('&'), key),
    form(
      `${key}: a NUL`,
      encoded
        .map((pair, at) =>
          at === index ? `${encodeURIComponent(key)}=${encodeURIComponent(value)}${RAW_NUL}` : pair,
        )
        .join('&'),
      key,
      provider,
    ),
  ]);
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    cases.push(form(`a ${key} key`, [...encoded, `${key}=x`].join('&'), key));
  }
  return cases;
}

function pathParameterCases(name: string, valid: RawRequest, random: () => number): FuzzCase[] {
  const value = valid.params?.[name] ?? 'x';
  const at = Math.floor(random() * (value.length + 1));
  const encoded = (text: string) => encodeURIComponent(text);
  const raw = (what: string, rawValue: string): FuzzCase => ({
    what: `path {${name}}: ${what}`,
    request: { ...valid, rawParams: { ...valid.rawParams, [name]: rawValue } },
    field: name,
  });
  return [
    raw('a NUL', encoded(value.slice(0, at)) + RAW_NUL + encoded(value.slice(at))),
    raw('a lone surrogate', encoded(value.slice(0, at)) + RAW_LONE_SURROGATE + encoded(value.slice(at))),
    raw('20 digits, past any bigint', '9'.repeat(20)),
    raw('negative', '-1'),
    raw('a fraction', '1.5'),
    raw('4 000 characters', 'x'.repeat(4000)),
    raw('__proto__', '__proto__'),
    raw('constructor', 'constructor'),
    raw('a dot segment', '%2E%2E'),
  ];
}

function queryCases(
  parameters: { name: string; schema?: Schema }[],
  valid: RawRequest,
  provider: boolean,
  lenient: Set<string>,
  random: () => number,
): FuzzCase[] {
  const base = Object.entries(valid.query ?? {});
  const encode = (pairs: [string, string][]) =>
    pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
  const query = (what: string, rawQuery: string, field: string, lenient = false): FuzzCase => ({
    what: `query: ${what}`,
    request: { ...valid, query: undefined, rawQuery },
    field,
    ...(lenient ? { lenient } : {}),
  });
  const cases: FuzzCase[] = [];
  for (const { name, schema = {} } of parameters) {
    const value = valid.query?.[name] ?? (schema.type === 'integer' ? '1' : 'x');
    const at = Math.floor(random() * (value.length + 1));
    const others = encode(base.filter(([key]) => key !== name));
    const put = (raw: string) => `${others ? `${others}&` : ''}${encodeURIComponent(name)}=${raw}`;
    const around = (raw: string) =>
      put(encodeURIComponent(value.slice(0, at)) + raw + encodeURIComponent(value.slice(at)));
    const free = !schema.pattern && !schema.format && !schema.enum && schema.type !== 'integer';
    cases.push(
      query(`${name} twice`, `${put(encodeURIComponent(value))}&${encodeURIComponent(name)}=1`, name),
      query(`${name}: a NUL`, around(RAW_NUL), name, provider && free),
      // A URL cannot carry a lone surrogate: these bytes are not UTF-8, and stay the text `%ED%A0%80`.
      query(`${name}: bytes that are not UTF-8`, around(RAW_LONE_SURROGATE), name, true),
    );
    const bad: [string, string][] = [];
    if (schema.type === 'integer') {
      bad.push(['not a number', 'abc'], ['a fraction', '1.5'], ['20 digits', '9'.repeat(20)]);
      if (schema.minimum !== undefined) bad.push(['below its minimum', String(schema.minimum - 1)]);
      if (schema.maximum !== undefined) bad.push(['above its maximum', String(schema.maximum + 1)]);
    } else {
      bad.push(...invalidStrings(schema));
    }
    for (const [what, text] of bad) {
      cases.push(query(`${name}: ${what}`, put(encodeURIComponent(text)), name, lenient.has(name)));
    }
  }
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    cases.push(query(`a ${key} key`, `${encode(base)}${base.length ? '&' : ''}${key}=x`, key));
  }
  return cases;
}

// ——— Helpers ———

function withBody(valid: RawRequest, what: string, body: Json, field?: string): FuzzCase {
  return { what, request: { ...valid, body, encoding: 'json' }, ...(field !== undefined ? { field } : {}) };
}

function resolve(document: OpenAPIObject, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return resolve(document, document.components!.schemas![name] as Schema);
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getAt(value: Json, path: (string | number)[]): Json {
  return path.reduce<Json>((inner, key) => (inner as Record<string | number, Json>)[key]!, value);
}

/** A copy of `value` with `replacement` at `path`. */
function setAt(value: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = setAt(value[head as number] ?? null, rest, replacement);
    return copy;
  }
  const object = value as { [key: string]: Json };
  return { ...object, [head!]: setAt(object[head!] ?? null, rest, replacement) };
}

/** A small seeded PRNG: the same seed, the same cases. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Tables' contents (a digest each) and queued jobs; what only counts requests or ages away is left out,
 * and the search index of message text, which the indexer derives from `messages` in the background.
 */
async function snapshot({ sut }: RunningDeployment): Promise<Record<string, string>> {
  const tables = await sut.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        AND table_name NOT IN ('rate_limit_counters', 'sms_send_windows', 'sms_auto_minutes', 'socket_io_attachments',
                               'message_search', 'message_search_pending')
      ORDER BY table_name`,
  );
  const digests = await sut.db.query<{ name: string; digest: string }>(
    tables
      .map(
        ({ name }) =>
          `SELECT '${name}' AS name, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM ${name} t`,
      )
      .concat(
        `SELECT 'pgboss.job' AS name, count(*)::text AS digest FROM pgboss.job
          WHERE name NOT IN (SELECT name FROM pgboss.schedule)`,
      )
      .join(' UNION ALL '),
  );
  return Object.fromEntries(digests.map(({ name, digest }) => [name, digest]));
}

/** Waits until the background jobs the cast started (emails, SMS and their receipts) are done. */
async function settled({ sut }: RunningDeployment): Promise<void> {
  await eventually(async () => {
    const [{ pending }] = await sut.db.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM pgboss.job
        WHERE state IN ('created', 'retry', 'active') AND name NOT IN (SELECT name FROM pgboss.schedule)`,
    );
    return pending === 0 ? true : undefined;
  }, 'the background jobs settle');
}
