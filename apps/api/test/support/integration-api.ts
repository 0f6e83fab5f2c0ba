import { InstanceSecrets } from '../../src/auth/instance-secrets';
import type { TestApp } from './test-app';

/** A client of the shop integration API, with the app's integration token (or the one given). */
export function integrationApi(app: TestApp, token?: string) {
  const bearer = async () => token ?? app.app.get(InstanceSecrets).integrationToken;
  const send = async (method: string, path: string, body?: unknown, form = false) =>
    fetch(`${app.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await bearer()}`,
        ...(body === undefined
          ? {}
          : { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }),
      },
      body:
        body === undefined
          ? undefined
          : form
            ? new URLSearchParams(body as Record<string, string>).toString()
            : JSON.stringify(body),
    });
  return {
    post: (path: string, body: unknown) => send('POST', path, body),
    postForm: (path: string, body: Record<string, string>) => send('POST', path, body, true),
    patch: (path: string, body: unknown) => send('PATCH', path, body),
    get: (path: string) => send('GET', path),
  };
}

let sequence = 0;

/** A username no other test uses. */
export function aUsername(prefix = 'shopper'): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence}`;
}
