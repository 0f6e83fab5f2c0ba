import { createHash, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedByApplication } from './application-jwt';

/**
 * A local stand-in for Vonage's Voice API as `@vonage/voice` calls it (docs/provider-contracts.md,
 * research in the voice module's docs): `POST /v1/calls` (RS256 JWT of our application, JSON answer
 * `{uuid, status, direction, conversation_uuid}`), `PUT /v1/calls/{uuid}` `{"action":"hangup"}` →
 * 204. It plays the network too: `event()` posts a leg's event to the call's event URL, signed like
 * Vonage's voice webhooks (HS256 JWT with the signature secret, `payload_hash` of the body).
 */
export interface CreatedCall {
  headers: IncomingHttpHeaders;
  body: {
    to: { type: string; number: string }[];
    from: { type: string; number: string };
    ncco: Record<string, unknown>[];
    event_url: string[];
    ringing_timer?: number;
    length_timer?: number;
  };
  uuid: string;
  conversationUuid: string;
}

export interface VonageVoiceEmulator {
  /** Pass as VONAGE_API_HOST. */
  url: string;
  applicationId: string;
  privateKey: string;
  created: CreatedCall[];
  hungUp: string[];
  /** Users created (`POST /v1/users`), by name. */
  users: string[];
  /** The next create answers this status (Vonage's error body), once. */
  failNextCreate(status: number): void;
  /**
   * Posts `{uuid, conversation_uuid, status, …}` for a leg of `call` to its event URL on `baseUrl`,
   * signed with `secret`; the answer's status and body.
   */
  event(
    baseUrl: string,
    call: CreatedCall,
    leg: { uuid: string; to: string },
    status: string,
    extra?: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }>;
  /** Posts `body` to `path` on `baseUrl`, signed as Vonage signs voice webhooks. */
  post(
    baseUrl: string,
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export const VOICE_SIGNATURE_SECRET = 'voice-signature-secret-for-tests-0123456789';

/** A token as Vonage signs voice webhooks: HS256 over iat, jti, payload_hash, api_key, application_id. */
export function voiceWebhookToken(
  body: string,
  options: { secret?: string; applicationId?: string; iat?: number; jti?: string } = {},
): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const claims = Buffer.from(
    JSON.stringify({
      iat: options.iat ?? Math.floor(Date.now() / 1000),
      jti: options.jti ?? randomUUID(),
      iss: 'Vonage',
      payload_hash: createHash('sha256').update(body).digest('hex'),
      api_key: 'abcd1234',
      application_id: options.applicationId,
    }),
  ).toString('base64url');
  const signature = createHmac('sha256', options.secret ?? VOICE_SIGNATURE_SECRET)
    .update(`${header}.${claims}`)
    .digest('base64url');
  return `${header}.${claims}.${signature}`;
}

export async function startVonageVoiceEmulator(): Promise<VonageVoiceEmulator> {
  const applicationId = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const created: CreatedCall[] = [];
  const hungUp: string[] = [];
  const users: string[] = [];
  const failures: number[] = [];

  const authorised = (authorization: string | undefined) =>
    signedByApplication(authorization, publicKey, applicationId);

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const send = (status: number, body?: unknown) => {
        response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        response.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (!authorised(request.headers.authorization)) {
        return send(401, {
          type: 'https://developer.nexmo.com/api-errors#unauthorized',
          title: 'Unauthorized',
        });
      }
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (request.method === 'POST' && path === '/v1/calls') {
        const failure = failures.shift();
        if (failure)
          return send(failure, { type: 'https://developer.nexmo.com/api-errors', title: 'Bad Request' });
        const call: CreatedCall = {
          headers: request.headers,
          body: JSON.parse(raw) as CreatedCall['body'],
          uuid: randomUUID(),
          conversationUuid: `CON-${randomUUID()}`,
        };
        created.push(call);
        return send(201, {
          uuid: call.uuid,
          status: 'started',
          direction: 'outbound',
          conversation_uuid: call.conversationUuid,
        });
      }
      if (request.method === 'POST' && path === '/v1/users') {
        const name = (JSON.parse(raw || '{}') as { name?: string }).name ?? '';
        if (users.includes(name)) {
          return send(409, {
            title: 'Conflict',
            code: 'user:error:duplicate-name',
            detail: 'duplicate name',
          });
        }
        users.push(name);
        return send(201, { id: `USR-${randomUUID()}`, name });
      }
      const leg = /^\/v1\/calls\/([0-9a-f-]{36})$/.exec(path);
      if (request.method === 'PUT' && leg) {
        const action = (JSON.parse(raw || '{}') as { action?: string }).action;
        if (action !== 'hangup') return send(400, { title: 'Unsupported action' });
        hungUp.push(leg[1]!);
        return send(204);
      }
      send(404, { title: 'Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  /** Posts `fields` as JSON, signed as Vonage signs voice webhooks: the answer's status and body. */
  async function signedPost(baseUrl: string, path: string, fields: Record<string, unknown>) {
    const body = JSON.stringify(fields);
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${voiceWebhookToken(body, { applicationId })}`,
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  }
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    applicationId,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    created,
    hungUp,
    users,
    failNextCreate: (status) => failures.push(status),
    event: (baseUrl, call, leg, status, extra = {}) =>
      signedPost(baseUrl, new URL(call.body.event_url[0]!).pathname, {
        uuid: leg.uuid,
        conversation_uuid: call.conversationUuid,
        status,
        direction: 'outbound',
        from: call.body.from.number,
        to: leg.to,
        timestamp: new Date().toISOString(),
        ...extra,
      }),
    post: signedPost,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
