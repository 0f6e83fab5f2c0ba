import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildOpenApiDocument, serializeOpenApiDocument } from '../http/openapi-document';

const USAGE = `Usage: node dist/cli/write-openapi.js <file>
Writes the OpenAPI document /api/docs-json serves (in development, every sandbox part on) to <file>,
built from the controllers without a database.`;

/**
 * `pnpm openapi`: the document the web app's API types are generated from. The API's tests fail while
 * the committed copy (apps/web/src/api/openapi.json) is not what this writes.
 */
async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  writeFileSync(file, serializeOpenApiDocument(await buildOpenApiDocument()));
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
