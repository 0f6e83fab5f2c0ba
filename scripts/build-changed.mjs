#!/usr/bin/env node
// `pnpm start`'s build: builds each package whose inputs changed since it was last built here, and
// skips the others, so a restart does not rebuild what is already built. `pnpm build` (and so
// `pnpm test` and CI) still builds everything.
//
// A package is up to date when the hash of its inputs (every file of its folder but its outputs,
// node_modules and what its build generates from its other inputs (the web app's API types), the shared
// TypeScript settings and lockfile, the inputs of the packages it depends on, and for the web app the
// VITE_* and NODE_ENV variables Vite builds with) and the hash of its `dist/`
// are those recorded after its last build by this script. Contents are hashed, not times: a changed
// file rebuilds, a touched one does not; a `dist/` rebuilt or changed by anything else rebuilds too.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pnpm } from './pnpm.mjs';

/** In build order. */
export const PACKAGES = [
  { name: '@switchboard/contracts', dir: 'libs/contracts', dependsOn: [] },
  { name: '@switchboard/api', dir: 'apps/api', dependsOn: ['@switchboard/contracts'] },
  {
    name: '@switchboard/web',
    dir: 'apps/web',
    dependsOn: ['@switchboard/contracts'],
    environment: /^(VITE_.*|NODE_ENV)$/,
    // Written by its build from src/api/openapi.json (an input): not an input itself.
    generated: ['src/api/api-types.d.ts'],
  },
];

/** Inputs of every package: compiler settings and dependency versions. */
const SHARED_INPUTS = ['tsconfig.base.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'];
/** Folders that are never inputs, at any depth of a package. */
const NOT_INPUTS = new Set(['node_modules', 'dist', 'coverage', 'tmp', '.data']);
/** Where the hashes of the last builds are kept: a fresh install or clone builds everything once. */
export const STAMP_FILE = 'node_modules/.cache/switchboard/builds.json';
/** Changing how hashes are made invalidates every stamp. */
const FORMAT = 1;

/**
 * Builds the packages of `root` that are not up to date, in order; stops at the first failure.
 * `build(pkg)` runs a package's own build and returns its exit status.
 */
export function buildChanged({
  root,
  packages = PACKAGES,
  environment = process.env,
  build = (pkg) => runBuild(root, pkg),
  log = console.log,
}) {
  const stampFile = join(root, STAMP_FILE);
  const stamps = readStamps(stampFile);
  const inputHashes = new Map();
  const built = [];
  const upToDate = [];
  for (const pkg of packages) {
    const inputs = inputsHash(root, pkg, environment, inputHashes);
    inputHashes.set(pkg.name, inputs);
    const stamp = stamps[pkg.name];
    if (stamp?.inputs === inputs && stamp.outputs === outputsHash(root, pkg)) {
      upToDate.push(pkg.name);
      continue;
    }
    log(`${pkg.name}: ${stamp ? 'changed since its last build' : 'no build recorded'}, building`);
    const status = build(pkg);
    if (status !== 0) return { status: status || 1, built, upToDate };
    stamps[pkg.name] = { inputs, outputs: outputsHash(root, pkg) };
    writeStamps(stampFile, stamps);
    built.push(pkg.name);
  }
  if (upToDate.length > 0) log(`Up to date, not rebuilt: ${upToDate.join(', ')}`);
  return { status: 0, built, upToDate };
}

function inputsHash(root, pkg, environment, inputHashes) {
  const hash = createHash('sha256').update(`${FORMAT}\0${pkg.name}\0`);
  for (const file of SHARED_INPUTS) hashFile(hash, root, file);
  const generated = new Set((pkg.generated ?? []).map((file) => join(pkg.dir, file)));
  for (const file of filesUnder(root, pkg.dir, NOT_INPUTS)) {
    if (!generated.has(file)) hashFile(hash, root, file);
  }
  for (const dependency of pkg.dependsOn) hash.update(`dependency\0${inputHashes.get(dependency)}\0`);
  if (pkg.environment) {
    for (const name of Object.keys(environment).sort()) {
      if (pkg.environment.test(name)) hash.update(`env\0${name}=${environment[name]}\0`);
    }
  }
  return hash.digest('hex');
}

function outputsHash(root, pkg) {
  const hash = createHash('sha256');
  for (const file of filesUnder(root, join(pkg.dir, 'dist'), new Set())) hashFile(hash, root, file);
  return hash.digest('hex');
}

function hashFile(hash, root, file) {
  const path = join(root, file);
  hash.update(`file\0${file}\0`);
  hash.update(existsSync(path) ? readFileSync(path) : '\0missing');
  hash.update('\0');
}

/** Files below `dir` (relative to `root`), sorted, skipping folders named in `skip`. */
function filesUnder(root, dir, skip) {
  if (!existsSync(join(root, dir))) return [];
  const files = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) files.push(...filesUnder(root, path, skip));
    } else if (entry.isFile()) {
      files.push(path);
    }
  }
  return files.sort();
}

function readStamps(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function writeStamps(file, stamps) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(stamps, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

function runBuild(root, pkg) {
  const [command, args] = pnpm('--filter', pkg.name, 'build');
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  process.exit(buildChanged({ root }).status);
}
