import { randomBytes } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { smsSegments } from '@switchboard/contracts';

/**
 * A local stand-in for Vonage's SMS API (`POST {restHost}/sms/json`), for the provider's contract
 * tests, other tests and the benchmark. It answers like the real API as described in
 * docs/provider-contracts.md §3: HTTP 200 for anything it processed, the outcome per part in
 * `messages[]`, every number a string (including `message-count`).
 */

export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/sms/json`. */
  path: string;
  query: Record<string, string>;
  /** As Node gives them: lower-cased names. */
  headers: IncomingHttpHeaders;
  /** The JSON body, or the fields of a form body. */
  body: Record<string, unknown>;
  rawBody: string;
  /** What the emulator answered; unset while (or because) it hangs. */
  response?: { status: number; body: unknown };
}

/** What Vonage says about one part of a message. */
export interface VonagePartAnswer {
  /** "0" accepted, anything else rejected with that status. */
  status: string;
  /** Defaults to Vonage's text for the status. */
  errorText?: string;
}

/**
 * How the emulator answers one call. By default it checks the request (credentials → status "4",
 * missing or malformed fields → "2"/"3", like Vonage) and accepts it, one element per part.
 * Status and part answers replace only the acceptance: a bad request is still refused first.
 */
export type VonageAnswer =
  /** The whole message: "0" is the default acceptance, any other status rejects it (one error element). */
  | VonagePartAnswer
  /** One element per part, e.g. `[{ status: '0' }, { status: '5' }]`: the first part went out, the second did not. */
  | { parts: VonagePartAnswer[] }
  /**
   * A failure before the SMS API proper (gateway, auth layer): this HTTP status, with a JSON problem
   * body by default. A string body goes as text/plain unless `contentType` says otherwise.
   */
  | { http: number; body?: string | Record<string, unknown>; contentType?: string }
  /** Never answers: the caller's timeout must end the call (close() ends it too). */
  | { hang: true };

export interface VonageEmulatorOptions {
  /** The credentials it accepts. */
  apiKey?: string;
  apiSecret?: string;
  /** Off for benchmarks, so `requests` does not grow without bound. */
  recordRequests?: boolean;
}

export interface VonageEmulator {
  /** Pass as the SDK's `restHost`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queue answers for the next calls, one per call, in order; then back to the default. */
  reply(...answers: VonageAnswer[]): void;
  /** Forget the recorded requests and any unused scripted answers. */
  reset(): void;
  /** Stops listening and cuts every open connection, including calls left hanging. */
  close(): Promise<void>;
}

export const VONAGE_ERROR_TEXTS: Readonly<Record<string, string>> = {
  '1': 'Throughput Rate Exceeded - please wait [ 1000 ] and retry',
  '2': 'Missing to param',
  '3': 'Invalid to param',
  '4': 'Bad Credentials',
  '5': 'Internal Error',
  '6': 'Invalid Message',
  '7': 'Number Barred',
  '8': 'Partner Account Barred',
  '9': 'Partner Quota Exceeded',
  '10': 'Too Many Existing Binds',
  '11': 'Account Not Enabled For HTTP',
  '12': 'Message Too Long',
  '14': 'Invalid Signature',
  '15': 'Invalid Sender Address',
  '22': 'Invalid Network Code',
  '23': 'Invalid Callback Url',
  '29': 'Non-White-listed Destination',
  '32': 'Signature And API Secret Disallowed',
  '33': 'Number De-activated',
};

const MESSAGE_PRICE = 3_330_000; // 0.03330000, in units of 1e-8 like the API's eight decimals
const NETWORK = '12345';
const MESSAGE_TYPES = new Set(['text', 'unicode', 'binary', 'wappush', 'vcal', 'vcard']);

type ErrorElement = { status: string; 'error-text': string };
type MessageElement = Record<string, string>;

export async function startVonageEmulator(options: VonageEmulatorOptions = {}): Promise<VonageEmulator> {
  const apiKey = options.apiKey ?? 'abcd1234';
  const apiSecret = options.apiSecret ?? 'Emulator5ecret01';
  const record = options.recordRequests ?? true;
  const requests: RecordedRequest[] = [];
  const answers: VonageAnswer[] = [];
  let balance = 10_000_000_000; // 100.00000000

  function checkRequest(params: Record<string, unknown>, authorization?: string): ErrorElement | undefined {
    const credentials = basicCredentials(authorization) ?? {
      key: stringOrUndefined(params.api_key),
      secret: stringOrUndefined(params.api_secret),
    };
    if (!credentials.key) return errorElement('2', 'Missing api_key');
    if (!credentials.secret) return errorElement('2', 'Missing api_secret');
    if (credentials.key !== apiKey || credentials.secret !== apiSecret) return errorElement('4');
    for (const field of ['from', 'to', 'text']) {
      if (!stringOrUndefined(params[field])) return errorElement('2', `Missing ${field} param`);
    }
    if (!/^\d{7,15}$/.test(String(params.to))) return errorElement('3', 'Invalid to param');
    if (params.type !== undefined && !MESSAGE_TYPES.has(String(params.type))) {
      return errorElement('3', 'Invalid type param');
    }
    return undefined;
  }

  function acceptedPart(params: Record<string, unknown>): MessageElement {
    balance -= MESSAGE_PRICE;
    const element: MessageElement = {
      to: String(params.to),
      'message-id': randomBytes(8).toString('hex').toUpperCase(),
      status: '0',
      'remaining-balance': eightDecimals(balance),
      'message-price': eightDecimals(MESSAGE_PRICE),
      network: NETWORK,
    };
    if (params['client-ref'] !== undefined) element['client-ref'] = String(params['client-ref']);
    if (params['account-ref'] !== undefined) element['account-ref'] = String(params['account-ref']);
    return element;
  }

  function smsAnswer(params: Record<string, unknown>, answer: VonageAnswer | undefined) {
    if (answer && 'parts' in answer) {
      return answer.parts.map((part) =>
        part.status === '0' ? acceptedPart(params) : errorElement(part.status, part.errorText),
      );
    }
    if (answer && 'status' in answer && answer.status !== '0') {
      return [errorElement(answer.status, answer.errorText)];
    }
    const { segments } = smsSegments(String(params.text), params.type === 'unicode' ? 'ucs2' : 'gsm7');
    return Array.from({ length: segments }, () => acceptedPart(params));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://emulator');
    const query = Object.fromEntries(url.searchParams);
    const body = parseBody(request.headers['content-type'], rawBody);
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query,
      headers: request.headers,
      body,
      rawBody,
    };
    if (record) requests.push(recorded);
    const respond = (status: number, answerBody: unknown, contentType = 'text/plain') => {
      recorded.response = { status, body: answerBody };
      if (typeof answerBody === 'string') {
        response
          .writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(answerBody) })
          .end(answerBody);
      } else {
        sendJson(response, status, answerBody);
      }
    };

    if (url.pathname !== '/sms/json') return respond(404, problem(404));
    if (request.method !== 'POST' && request.method !== 'GET') return respond(405, problem(405));

    const answer = answers.shift();
    if (answer && 'hang' in answer) return; // the socket stays open until the client gives up or close()
    if (answer && 'http' in answer) {
      return respond(answer.http, answer.body ?? problem(answer.http), answer.contentType);
    }
    const params = { ...query, ...body };
    const rejected = checkRequest(params, request.headers.authorization);
    const messages = rejected ? [rejected] : smsAnswer(params, answer);
    respond(200, { 'message-count': String(messages.length), messages });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, problem(500, String(error)));
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
    url: `http://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    requests,
    reply: (...scripted) => {
      answers.push(...scripted);
    },
    reset: () => {
      requests.length = 0;
      answers.length = 0;
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

function errorElement(status: string, errorText?: string): ErrorElement {
  return { status, 'error-text': errorText ?? VONAGE_ERROR_TEXTS[status] ?? `Error ${status}` };
}

function problem(status: number, detail?: string): Record<string, unknown> {
  const title = STATUS_CODES[status] ?? 'Error';
  return {
    type: `https://developer.nexmo.com/api-errors#${title.toLowerCase().replace(/\W+/g, '-')}`,
    title,
    detail: detail ?? `Emulated HTTP ${status}`,
  };
}

function basicCredentials(authorization?: string): { key?: string; secret?: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { key: decoded } : { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function eightDecimals(unitsOf1e8: number): string {
  return (unitsOf1e8 / 1e8).toFixed(8);
}

function parseBody(contentType: string | undefined, rawBody: string): Record<string, unknown> {
  if (rawBody === '') return {};
  if (contentType?.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(rawBody);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(rawBody));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
    .end(json);
}
