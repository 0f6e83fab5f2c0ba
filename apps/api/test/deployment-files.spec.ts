import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('the Dockerfile builds from the lockfile and runs the pruned app as an unprivileged user', () => {
    const dockerfile = read('Dockerfile');

    expect(dockerfile).toMatch(/^FROM node:\d+[\w.-]* AS build$/m);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    expect(dockerfile).toMatch(/--prod deploy/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "api\/dist\/main\.js"\]$/m);
  });
});
