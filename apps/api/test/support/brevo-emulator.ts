import { randomInt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Brevo's transactional email API (`POST /v3/smtp/email`), for the provider's
 * contract tests and any test that sends an order confirmation. It answers like the real API as
 * described in docs/provider-contracts.md §6: the `api-key` header, Brevo's validation errors as
 * `{ code, message }`, 201 `{ messageId }` on success. It also honours an idempotency key, which is
 * what makes "one email per order, however often the job retries" testable: `delivered` holds each
 * distinct email it accepted, a replayed key adds nothing.
 */

export interface RecordedBrevoRequest {
  method: string;
  /** The path without the query string, e.g. `/v3/smtp/email`. */
  path: string;
  /** As Node gives them: lower-cased names. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (`{}` if it was not a JSON object). */
  body: Record<string, unknown>;
  rawBody: string;
  /** What the emulator answered; unset while (or because) it hangs. */
  response?: { status: number; body: unknown };
}

/** One email Brevo accepted for sending (an idempotent replay is not a second one). */
export interface DeliveredEmail {
  messageId: string;
  /** The key it was accepted under, if the request carried one. */
  idempotencyKey?: string;
  to: Array<{ email: string; name?: string }>;
  templateId?: number;
  params?: Record<string, unknown>;
  subject?: string;
  sender?: { email?: string; name?: string; id?: number };
  /** The whole request body. */
  body: Record<string, unknown>;
}

/**
 * How the emulator answers one call, instead of checking and accepting it.
 * `http`: this status with Brevo's `{ code, message }` for it, or `body` (a string goes as text/plain,
 * like a gateway's error page). `hang`: never answers; the caller's timeout must end the call
 * (close() ends it too).
 */
export type BrevoAnswer = { http: number; body?: string | Record<string, unknown> } | { hang: true };

export interface BrevoEmulatorOptions {
  /** The key it accepts in the `api-key` header. */
  apiKey?: string;
}

export interface BrevoEmulator {
  /** The API base to give the SDK (`baseUrl`), e.g. `http://127.0.0.1:41234/v3`. */
  url: string;
  apiKey: string;
  /** Every request received, in order. */
  requests: RecordedBrevoRequest[];
  /** Every distinct email accepted, in order. */
  delivered: DeliveredEmail[];
  /** Queue answers for the next calls, one per call, in order; then back to checking and accepting. */
  reply(...answers: BrevoAnswer[]): void;
  /** Forget requests, deliveries, idempotency keys and any unused scripted answers. */
  reset(): void;
  /** Stops listening and cuts every open connection, including calls left hanging. */
  close(): Promise<void>;
}

/** Brevo's `{ code, message }` for statuses a test scripts without a body. */
export const BREVO_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'invalid_parameter', message: 'Invalid parameter' },
  401: { code: 'unauthorized', message: 'Key not found' },
  402: {
    code: 'not_enough_credits',
    message: 'Your account is not activated or you do not have enough credits',
  },
  403: { code: 'permission_denied', message: 'Permission denied' },
  404: { code: 'document_not_found', message: 'Not found' },
  405: { code: 'method_not_allowed', message: 'Method not allowed' },
  429: { code: 'too_many_requests', message: 'Too many requests' },
  500: { code: 'internal_error', message: 'Internal server error' },
  502: { code: 'bad_gateway', message: 'Bad gateway' },
  503: { code: 'service_unavailable', message: 'Service unavailable' },
};

const SEND_PATH = '/v3/smtp/email';
const RATE_LIMIT = 1000;
const MAX_NAME_LENGTH = 70;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function startBrevoEmulator(options: BrevoEmulatorOptions = {}): Promise<BrevoEmulator> {
  const apiKey = options.apiKey ?? 'xkeysib-emulator0000000000000000000000000000000000000000000000-Abc123';
  const requests: RecordedBrevoRequest[] = [];
  const delivered: DeliveredEmail[] = [];
  const answers: BrevoAnswer[] = [];
  /** Idempotency key → the message id answered the first time. */
  const accepted = new Map<string, string>();

  function accept(body: Record<string, unknown>, idempotencyKey: string | undefined): string {
    const previous = idempotencyKey === undefined ? undefined : accepted.get(idempotencyKey);
    if (previous !== undefined) return previous;
    const messageId = newMessageId();
    if (idempotencyKey !== undefined) accepted.set(idempotencyKey, messageId);
    delivered.push({
      messageId,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      to: body.to as DeliveredEmail['to'],
      ...(typeof body.templateId === 'number' ? { templateId: body.templateId } : {}),
      ...(isObject(body.params) ? { params: body.params } : {}),
      ...(typeof body.subject === 'string' ? { subject: body.subject } : {}),
      ...(isObject(body.sender) ? { sender: body.sender as DeliveredEmail['sender'] } : {}),
      body,
    });
    return messageId;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://emulator');
    const parsed = parseJson(rawBody);
    const recorded: RecordedBrevoRequest = {
      method: request.method ?? '',
      path: url.pathname,
      headers: request.headers,
      body: isObject(parsed) ? parsed : {},
      rawBody,
    };
    requests.push(recorded);
    const respond = (status: number, answerBody: unknown) => {
      recorded.response = { status, body: answerBody };
      const text = typeof answerBody === 'string' ? answerBody : JSON.stringify(answerBody);
      response
        .writeHead(status, {
          'content-type': typeof answerBody === 'string' ? 'text/plain' : 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
          'x-sib-ratelimit-limit': String(RATE_LIMIT),
          'x-sib-ratelimit-remaining': String(status === 429 ? 0 : RATE_LIMIT - 1),
          'x-sib-ratelimit-reset': '1',
        })
        .end(text);
    };

    if (url.pathname !== SEND_PATH) return respond(404, brevoError(404, 'Invalid route'));
    if (request.method !== 'POST') return respond(405, brevoError(405));

    const answer = answers.shift();
    if (answer && 'hang' in answer) return; // the socket stays open until the client gives up or close()
    if (answer) return respond(answer.http, answer.body ?? brevoError(answer.http));

    if (request.headers['api-key'] !== apiKey) return respond(401, brevoError(401));
    if (!isObject(parsed)) return respond(400, brevoError(400, 'Input must be a valid JSON object'));
    const invalid = validate(parsed);
    if (invalid) return respond(400, brevoError(400, invalid));
    respond(201, { messageId: accept(parsed, idempotencyKeyOf(request.headers, parsed)) });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        const body = JSON.stringify(brevoError(500, String(error)));
        response.writeHead(500, { 'content-type': 'application/json' }).end(body);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/v3`,
    apiKey,
    requests,
    delivered,
    reply: (...scripted) => {
      answers.push(...scripted);
    },
    reset: () => {
      requests.length = 0;
      delivered.length = 0;
      answers.length = 0;
      accepted.clear();
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Brevo's checks on a send, in the order it reports them; the message of the first failure. */
function validate(body: Record<string, unknown>): string | undefined {
  const { templateId } = body;
  const withTemplate = templateId !== undefined;
  if (withTemplate && (typeof templateId !== 'number' || !Number.isInteger(templateId) || templateId < 1)) {
    return 'templateId should be an integer';
  }
  if (!withTemplate) {
    const sender = body.sender;
    if (!isObject(sender) || (typeof sender.id !== 'number' && !isEmail(sender.email))) {
      return 'valid sender email required';
    }
    if (typeof body.subject !== 'string' || body.subject.trim() === '') return 'subject is missing';
    if (!nonEmptyString(body.htmlContent) && !nonEmptyString(body.textContent)) {
      return 'htmlContent is missing';
    }
  } else if (body.sender !== undefined) {
    if (!isObject(body.sender) || (body.sender.email !== undefined && !isEmail(body.sender.email))) {
      return 'valid sender email required';
    }
  }
  if (
    isObject(body.sender) &&
    typeof body.sender.name === 'string' &&
    body.sender.name.length > MAX_NAME_LENGTH
  ) {
    return `sender name must be at most ${MAX_NAME_LENGTH} characters`;
  }
  const to = body.to;
  if (!Array.isArray(to) || to.length === 0) return 'unexpected recipients: want atleast 1, got 0';
  for (const recipient of to) {
    if (!isObject(recipient) || !isEmail(recipient.email)) return 'email is not valid in to';
    if (recipient.name !== undefined && typeof recipient.name !== 'string') return 'name is not valid in to';
    if (typeof recipient.name === 'string' && recipient.name.length > MAX_NAME_LENGTH) {
      return `name in to must be at most ${MAX_NAME_LENGTH} characters`;
    }
  }
  if (body.params !== undefined && !isObject(body.params)) return 'params is not valid';
  if (body.headers !== undefined && !isObject(body.headers)) return 'headers is not valid';
  return undefined;
}

/**
 * The request's idempotency key. Brevo's docs name it differently over time (the HTTP header, or in
 * the body's `headers` as `idempotencyKey` or `Idempotency-Key`), so any of them counts.
 */
function idempotencyKeyOf(headers: IncomingHttpHeaders, body: Record<string, unknown>): string | undefined {
  const header = headers['idempotency-key'];
  if (typeof header === 'string' && header !== '') return header;
  if (isObject(body.headers)) {
    for (const name of ['idempotencyKey', 'Idempotency-Key']) {
      const value = body.headers[name];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return undefined;
}

function brevoError(status: number, message?: string): { code: string; message: string } {
  const known = BREVO_ERRORS[status] ?? { code: 'error', message: `Emulated HTTP ${status}` };
  return { code: known.code, message: message ?? known.message };
}

/** Like Brevo's: `<yyyyMMddHHmm.digits@smtp-relay.mailin.fr>`. */
function newMessageId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 12);
  const digits = `${randomInt(1e6, 1e7)}${randomInt(1e6, 1e7)}`;
  return `<${stamp}.${digits}@smtp-relay.mailin.fr>`;
}

function isEmail(value: unknown): value is string {
  return typeof value === 'string' && EMAIL.test(value);
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
