// The API's build copies the SQL files of database functions (src/**/*.sql, see
// src/database/sql-files.ts) into dist/, where the compiled code reads them: tsc copies only code.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const api = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Copies every .sql file below `src/` to the same place below `dist/`; returns their paths. */
export function copySqlFiles(root = api) {
  const src = join(root, 'src');
  const copied = [];
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.sql')) continue;
    const from = join(entry.parentPath, entry.name);
    const to = join(root, 'dist', relative(src, from));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    copied.push(relative(src, from));
  }
  return copied;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) copySqlFiles();
