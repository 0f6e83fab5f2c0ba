// `pnpm dev` for the API: recompile on change and restart the server, run from the repo root so
// DATA_DIR defaults to the same `.data/` as `pnpm start`. SQL files of database functions are copied
// into dist/ as they change, and the server restarted, so that its boot applies them.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, watch } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copySqlFiles } from './copy-sql-files.mjs';

const api = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
copySqlFiles(api);
const compiler = spawn(
  process.execPath,
  [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
  {
    cwd: api,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let server;
let stopping = false;
let exiting = false;
function startServer() {
  server = spawn(process.execPath, ['--watch', '--watch-preserve-output', join(api, 'dist/main.js')], {
    cwd: join(api, '..', '..'),
    stdio: 'inherit',
  });
}
compiler.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (
    !server &&
    /Watching for file changes/.test(chunk.toString()) &&
    existsSync(join(api, 'dist/main.js'))
  ) {
    startServer();
  }
});
watch(join(api, 'src'), { recursive: true }, (_event, file) => {
  if (!file?.endsWith('.sql') || !existsSync(join(api, 'src', file))) return;
  mkdirSync(dirname(join(api, 'dist', file)), { recursive: true });
  copyFileSync(join(api, 'src', file), join(api, 'dist', file));
  if (!server || stopping) return;
  console.log(`${file} changed: restarting the server`);
  stopping = true;
  server.once('exit', () => {
    stopping = false;
    if (!exiting) startServer();
  });
  server.kill('SIGTERM');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    exiting = true;
    compiler.kill(signal);
    if (server) server.once('exit', () => process.exit(0)).kill(signal);
    else process.exit(0);
  });
}
