// Builds the contracts twice: CommonJS for the NestJS API, ES modules for the Vite app.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
// package.json has no "type", so `nodenext` emits CommonJS.
for (const [dir, module, resolution, type] of [
  ['cjs', 'nodenext', 'nodenext', 'commonjs'],
  ['esm', 'es2022', 'bundler', 'module'],
]) {
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.json',
      '--outDir',
      `dist/${dir}`,
      '--module',
      module,
      '--moduleResolution',
      resolution,
    ],
    { stdio: 'inherit' },
  );
  mkdirSync(`dist/${dir}`, { recursive: true });
  writeFileSync(`dist/${dir}/package.json`, JSON.stringify({ type }) + '\n');
}
