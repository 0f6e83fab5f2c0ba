// node --test scripts/build-changed.test.mjs
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { buildChanged, PACKAGES, STAMP_FILE } from './build-changed.mjs';

const CONTRACTS = '@switchboard/contracts';
const API = '@switchboard/api';
const WEB = '@switchboard/web';

describe('buildChanged', () => {
  let root;
  let builds;

  /** A workspace laid out like ours, whose builds write `dist/` from their sources. */
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'switchboard-build-changed-'));
    for (const [file, text] of Object.entries({
      'tsconfig.base.json': '{}',
      'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
      'pnpm-workspace.yaml': 'packages: []\n',
      'libs/contracts/src/index.ts': 'export const A = 1;\n',
      'libs/contracts/package.json': '{}',
      'apps/api/src/main.ts': 'console.log(1);\n',
      'apps/api/tsconfig.json': '{}',
      'apps/api/node_modules/dep/index.js': 'dependency\n',
      'apps/web/src/main.ts': 'mount();\n',
      'apps/web/index.html': '<div id="app"></div>\n',
    }))
      write(file, text);
    builds = [];
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(file, text) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }

  function run({ environment = {}, fail } = {}) {
    const result = buildChanged({
      root,
      environment,
      log: () => undefined,
      build: (pkg) => {
        builds.push(pkg.name);
        if (pkg.name === fail) return 2;
        write(`${pkg.dir}/dist/out.js`, `built ${builds.length}\n`);
        return 0;
      },
    });
    const built = builds.splice(0);
    assert.deepEqual(result.built, fail ? built.slice(0, -1) : built);
    return { status: result.status, built };
  }

  it('builds every package, in order, when none was built here', () => {
    assert.deepEqual(run(), { status: 0, built: [CONTRACTS, API, WEB] });
  });

  it('builds nothing the next time when nothing changed', () => {
    run();
    assert.deepEqual(run(), { status: 0, built: [] });
  });

  it('does not rebuild a file that was only touched', () => {
    run();
    utimesSync(join(root, 'apps/api/src/main.ts'), new Date(), new Date(Date.now() + 60_000));
    assert.deepEqual(run().built, []);
  });

  it('rebuilds only the package whose source changed', () => {
    run();
    write('apps/api/src/main.ts', 'console.log(2);\n');
    assert.deepEqual(run().built, [API]);
    write('apps/web/src/new-page.ts', 'export {};\n');
    assert.deepEqual(run().built, [WEB]);
    assert.deepEqual(run().built, []);
  });

  it('rebuilds the API when a SQL file of its database functions changes (the build copies them)', () => {
    write('apps/api/src/sms/inbound/sms-receive.sql', 'CREATE OR REPLACE FUNCTION sms_receive() …;\n');
    run();
    write('apps/api/src/sms/inbound/sms-receive.sql', 'CREATE OR REPLACE FUNCTION sms_receive() … 2;\n');
    assert.deepEqual(run().built, [API]);
  });

  it('rebuilds the API and the web app after the contracts they use', () => {
    run();
    write('libs/contracts/src/index.ts', 'export const A = 2;\n');
    assert.deepEqual(run().built, [CONTRACTS, API, WEB]);
  });

  it('rebuilds everything when the lockfile or the shared compiler settings change', () => {
    run();
    write('pnpm-lock.yaml', 'lockfileVersion: 9.0\n# upgraded\n');
    assert.deepEqual(run().built, [CONTRACTS, API, WEB]);
    write('tsconfig.base.json', '{ "compilerOptions": {} }');
    assert.deepEqual(run().built, [CONTRACTS, API, WEB]);
  });

  it('rebuilds a package whose configuration changed, a file outside src/ included', () => {
    run();
    write('apps/api/tsconfig.json', '{ "compilerOptions": { "strict": true } }');
    assert.deepEqual(run().built, [API]);
    write('apps/web/.env', 'VITE_CHAT_VONAGE=true\n');
    assert.deepEqual(run().built, [WEB]);
  });

  it('rebuilds the web app when the VITE_ variables or NODE_ENV it is built with change', () => {
    run({ environment: { PATH: '/bin' } });
    assert.deepEqual(run({ environment: { PATH: '/usr/bin' } }).built, []);
    assert.deepEqual(run({ environment: { VITE_CHAT_VONAGE: 'true' } }).built, [WEB]);
    assert.deepEqual(run({ environment: { VITE_CHAT_VONAGE: 'true' } }).built, []);
    assert.deepEqual(run({ environment: { VITE_CHAT_VONAGE: 'true', NODE_ENV: 'production' } }).built, [WEB]);
  });

  it('rebuilds a package whose output is missing or was changed by another build', () => {
    run();
    rmSync(join(root, 'apps/api/dist'), { recursive: true });
    assert.deepEqual(run().built, [API]);
    write('apps/web/dist/out.js', 'built by `VITE_CHAT_VONAGE=true pnpm build`\n');
    assert.deepEqual(run().built, [WEB]);
  });

  it('ignores what is not an input: dependencies, outputs, coverage', () => {
    run();
    write('apps/api/node_modules/dep/index.js', 'another version\n');
    write('apps/web/coverage/index.html', 'report\n');
    assert.deepEqual(run().built, []);
  });

  it("ignores what the web app's build generates from its inputs (the API types)", () => {
    run();
    write('apps/web/src/api/api-types.d.ts', 'export interface paths {}\n');
    assert.deepEqual(run().built, []);
    write('apps/web/src/api/openapi.json', '{}\n');
    assert.deepEqual(run().built, [WEB]);
  });

  it('stops at a failed build, and builds that package again the next time', () => {
    run();
    write('libs/contracts/src/index.ts', 'export const A = ;\n');
    assert.deepEqual(run({ fail: CONTRACTS }), { status: 2, built: [CONTRACTS] });
    assert.deepEqual(run({ fail: CONTRACTS }), { status: 2, built: [CONTRACTS] });
    write('libs/contracts/src/index.ts', 'export const A = 3;\n');
    assert.deepEqual(run().built, [CONTRACTS, API, WEB]);
  });

  it('builds everything again when its record is lost', () => {
    run();
    rmSync(join(root, STAMP_FILE));
    assert.deepEqual(run().built, [CONTRACTS, API, WEB]);
  });

  it('covers every package that `pnpm build` builds', () => {
    const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
    // The workspace's packages: apps/*, libs/* and bench (pnpm-workspace.yaml).
    const withBuild = ['apps', 'libs']
      .flatMap((folder) => readdirSync(join(repo, folder)).map((name) => `${folder}/${name}`))
      .concat('bench')
      .filter((dir) => existsSync(join(repo, dir, 'package.json')))
      .filter((dir) => JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8')).scripts?.build);
    assert.deepEqual(PACKAGES.map((pkg) => pkg.dir).sort(), withBuild.sort());
  });
});
