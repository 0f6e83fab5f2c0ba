// `pnpm dev` for the API: recompile on change and restart the server, run from the repo root so
// DATA_DIR defaults to the same `.data/` as `pnpm start`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const api = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiler = spawn(
  process.execPath,
  [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
  {
    cwd: api,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let server;
compiler.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (
    !server &&
    /Watching for file changes/.test(chunk.toString()) &&
    existsSync(join(api, 'dist/main.js'))
  ) {
    server = spawn(process.execPath, ['--watch', '--watch-preserve-output', join(api, 'dist/main.js')], {
      cwd: join(api, '..', '..'),
      stdio: 'inherit',
    });
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    compiler.kill(signal);
    if (server) server.once('exit', () => process.exit(0)).kill(signal);
    else process.exit(0);
  });
}
