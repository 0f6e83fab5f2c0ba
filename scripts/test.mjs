#!/usr/bin/env node
// Runs every test of every package (scripts: node --test; API jest: unit, database, HTTP, process; web
// vitest: unit and browser) against a fresh build, then prints one line summing them all:
// `tests: N passed, M failed`.
//
// TEST_API_ON_NODE="24" (majors, space- or comma-separated) runs the API tests once more on each of
// those Node versions, taken from the registry's `node` package through npx (CI runs Node 24 so).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pnpm } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(label, command, args, cwd = root) {
  console.log(`\n▶ ${label}: ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '1' } })
    .status;
}

function ensureChromium() {
  if (existsSync(chromium)) return true;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`\nChromium is missing: installing Debian's package (apt-get install -y chromium)`);
    run('apt-get update', 'apt-get', ['update', '-qq']);
    run('apt-get install', 'apt-get', ['install', '-y', '-qq', 'chromium']);
  }
  if (existsSync(chromium)) return true;
  console.error(
    `\nThe browser tests need Chromium at ${chromium}: install it (Debian/Ubuntu: sudo apt-get install chromium) ` +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  );
  return false;
}

const counts = [];
function record(runner, file, status) {
  let passed = 0;
  let failed = 0;
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed = report.numPassedTests;
    failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  }
  count(runner, passed, failed, status);
}

/** node --test's TAP report ends with `# pass N` and `# fail M`. */
function recordTap(runner, file, status) {
  const tap = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const total = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  count(runner, total('pass'), total('fail') + total('cancelled'), status);
}

function count(runner, passed, failed, status) {
  // A runner that crashed, or failed outside any test, still counts as a failure.
  if (status !== 0 && failed === 0) failed = 1;
  counts.push({ runner, passed, failed });
}

const scriptsReport = join(results, 'scripts.tap');
recordTap(
  'scripts (node --test)',
  scriptsReport,
  run('scripts', process.execPath, [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${scriptsReport}`,
    'scripts/build-changed.test.mjs',
  ]),
);

const [pnpmCommand, pnpmArgs] = pnpm('-r', '--workspace-concurrency=1', 'build');
const buildStatus = run('build', pnpmCommand, pnpmArgs);
if (buildStatus !== 0) counts.push({ runner: 'build', passed: 0, failed: 1 });

const api = join(root, 'apps/api');
const apiReport = join(results, 'api.json');
record(
  'api (jest)',
  apiReport,
  run('api', join(api, 'node_modules/.bin/jest'), ['--json', `--outputFile=${apiReport}`], api),
);

// The same API tests on other Node versions (the built app they start runs on that Node too).
for (const wanted of (process.env.TEST_API_ON_NODE ?? '').split(/[\s,]+/).filter(Boolean)) {
  const node = ['--yes', '-p', `node@${wanted}`, 'node'];
  const probe = spawnSync('npx', [...node, '-p', 'process.version'], { encoding: 'utf8' });
  const version = probe.status === 0 ? probe.stdout.trim() : '';
  const runner = `api on Node ${version || wanted} (jest)`;
  if (version !== `v${wanted}` && !version.startsWith(`v${wanted}.`)) {
    console.error(`\nNode ${wanted} from the registry's node package did not run: ${version}${probe.stderr}`);
    counts.push({ runner, passed: 0, failed: 1 });
    continue;
  }
  const report = join(results, `api-node-${wanted}.json`);
  record(
    runner,
    report,
    run(
      runner,
      'npx',
      [...node, join(api, 'node_modules/jest/bin/jest.js'), '--json', `--outputFile=${report}`],
      api,
    ),
  );
}

const web = join(root, 'apps/web');
const vitest = join(web, 'node_modules/.bin/vitest');
const webReport = join(results, 'web.json');
record(
  'web (vitest)',
  webReport,
  run('web', vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${webReport}`], web),
);

const e2eReport = join(results, 'web-e2e.json');
if (ensureChromium()) {
  record(
    'browser (vitest + chromium)',
    e2eReport,
    run(
      'browser',
      vitest,
      [
        'run',
        '--config',
        'vitest.e2e.config.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${e2eReport}`,
      ],
      web,
    ),
  );
} else {
  counts.push({ runner: 'browser (vitest + chromium)', passed: 0, failed: 1 });
}

console.log('');
for (const { runner, passed, failed } of counts)
  console.log(`  ${runner}: ${passed} passed, ${failed} failed`);
const passed = counts.reduce((sum, count) => sum + count.passed, 0);
const failed = counts.reduce((sum, count) => sum + count.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
