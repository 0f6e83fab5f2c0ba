import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '../src/config/load-config';
import {
  buildOpenApiDocument,
  documentedConfig,
  serializeOpenApiDocument,
} from '../src/http/openapi-document';
import { startTestApp, type TestApp } from './support/test-app';

/** The web app's API types are generated from this file (apps/web/scripts/api-types.mjs). */
const COMMITTED = join(__dirname, '..', '..', 'web', 'src', 'api', 'openapi.json');

describe(buildOpenApiDocument.name, () => {
  let served: TestApp | undefined;

  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  async function servedDocument(env: Record<string, string> = {}): Promise<OpenAPIObject> {
    served = await startTestApp({ env });
    const response = await fetch(`${served.baseUrl}/api/docs-json`);
    expect(response.status).toBe(200);
    return (await response.json()) as OpenAPIObject;
  }

  it('builds, without a database, the document the running app serves', async () => {
    const sut = await buildOpenApiDocument(loadConfig({ NODE_ENV: 'test' }));

    expect(sut).toEqual(await servedDocument());
  });

  it('builds the document of another configuration as that app serves it (path token, no mailbox)', async () => {
    const env = {
      WEBHOOK_PATH_TOKEN: 'k3v9-Qm2x_Lp8Rt4Wz6Y',
      SENDINBLUE_API_KEY: 'xkeysib-test',
      SENDINBLUE_TEMPLATE_ID: '1',
      SENDINBLUE_FROM_EMAIL: 'support@example.com',
    };
    const sut = await buildOpenApiDocument(loadConfig({ NODE_ENV: 'test', ...env }));

    expect(sut).toEqual(await servedDocument(env));
  });

  it('is the document committed for the web app (after an API change, run `pnpm openapi`)', async () => {
    const committed = readFileSync(COMMITTED, 'utf8');

    expect(committed).toBe(serializeOpenApiDocument(await buildOpenApiDocument(documentedConfig())));
  });
});
