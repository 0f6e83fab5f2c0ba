import { ErrorCode } from '@switchboard/contracts';
import type { ErrorResponse, FieldError } from '@switchboard/contracts';
import createClient from 'openapi-fetch';

import type { components, paths } from './api-types';
import { lastSeenPosition, readsAfterPosition, sawPosition } from './read-position';

/** Codes for failures where no readable answer came back from the API. */
export const ClientErrorCode = {
  Network: 'client/network_error',
  UnexpectedResponse: 'client/unexpected_response',
  /** The API chose a chat transport this build of the app does not include. */
  UnsupportedChatTransport: 'client/unsupported_chat_transport',
  /** The demo shop in production: the integration token must be pasted in, and was not. */
  IntegrationTokenMissing: 'client/integration_token_missing',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  fieldErrors?: readonly FieldError[];
  errorId?: string;
  cause?: unknown;
}

/** Every failed API call rejects with this; switch on `code`, never on `message`. */
export class ApiError extends Error {
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode | (string & {});
  readonly fieldErrors: readonly FieldError[];
  /** Present on 5xx: the id an operator searches the API logs for. */
  readonly errorId: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, { cause: init.cause });
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.errorId = init.errorId;
  }

  /** The first problem reported for one input field, to show beside it. */
  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((error) => error.field === field)?.message;
  }
}

/** The request never got an answer: offline, DNS, CORS, server down. */
export class NetworkError extends ApiError {
  constructor(cause: unknown) {
    super({
      status: 0,
      code: ClientErrorCode.Network,
      message: 'Could not reach the server.',
      cause,
    });
    this.name = 'NetworkError';
  }
}

/** Sent as `Authorization: Bearer …` (a chat session's, an agent's or the shop's token). */
export interface RequestOptions {
  signal?: AbortSignal;
  accessToken?: string;
}

/**
 * The options a typed call takes for `RequestOptions`:
 * `api.GET('/api/site', auth(options))`, `api.PATCH(path, { ...auth(options), params, body })`.
 */
export function auth(options: RequestOptions = {}): {
  headers: Record<string, string>;
  signal?: AbortSignal;
} {
  const headers: Record<string, string> = {};
  if (options.accessToken) headers.Authorization = `Bearer ${options.accessToken}`;
  return options.signal ? { headers, signal: options.signal } : { headers };
}

/**
 * The request as openapi-fetch describes it, kept as a URL relative to the page and its init: the
 * browser's `Request` would need an absolute URL and hides what `send` puts on the wire.
 */
class OutgoingRequest {
  readonly method: string;
  constructor(
    readonly url: string,
    readonly init: RequestInit,
  ) {
    this.method = init.method ?? 'GET';
  }
}

/**
 * Every call to the API goes through here: JSON in and out, the bearer token, the same-origin cookie,
 * the database position the console's reads must not be older than (read-position.ts), and every failure as an `ApiError` (a `NetworkError` when no answer came; an abort passes untouched).
 * A success's body reaches openapi-fetch only once it is known to be JSON or empty.
 */
async function send(outgoing: OutgoingRequest): Promise<Response> {
  const given = new Headers(outgoing.init.headers);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const authorization = given.get('Authorization');
  if (authorization) headers.Authorization = authorization;
  const position = lastSeenPosition();
  if (position && readsAfterPosition(outgoing.method, outgoing.url)) headers['X-Read-After'] = position;
  const init: RequestInit = { method: outgoing.method, headers, credentials: 'same-origin' };
  if (outgoing.init.signal) init.signal = outgoing.init.signal;
  if (outgoing.init.body !== undefined && outgoing.init.body !== null) {
    headers['Content-Type'] = 'application/json';
    init.body = outgoing.init.body;
  }

  let response: Response;
  let text: string;
  try {
    response = await fetch(outgoing.url, init);
    sawPosition(response.headers.get('X-Position'));
    text = await response.text();
  } catch (error) {
    // An abort is the caller's own decision, not a failure to report.
    if (isAbort(error)) throw error;
    throw new NetworkError(error);
  }

  if (!response.ok) throw errorFromResponse(response.status, text);
  if (text !== '' && parseJson(text) === NOT_JSON) {
    throw new ApiError({
      status: response.status,
      code: ClientErrorCode.UnexpectedResponse,
      message: 'The server sent a response that is not JSON.',
    });
  }
  return new Response(text === '' ? null : text, {
    status: text === '' ? 204 : response.status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/**
 * The API, typed from its OpenAPI document (`src/api/openapi.json`, see scripts/api-types.mjs). Use it
 * through `answer(...)`, which gives the success body; failures reject with `ApiError`.
 */
export const api = createClient<paths>({
  Request: OutgoingRequest as unknown as typeof Request,
  fetch: send as unknown as (input: Request) => Promise<Response>,
});

/** A schema of the API's document by name: `ApiSchema<'TicketDetail'>`. */
export type ApiSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** The body of a typed call's success (`undefined` for a 204). Its failures have been thrown by `send`. */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data } = await call;
  return data as T;
}

/** For answers without our JSON body (a proxy's HTML 502, say), the status is all we have. */
const codeByStatus: Readonly<Partial<Record<number, ErrorCode>>> = {
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.TooManyRequests,
};

function errorFromResponse(status: number, text: string): ApiError {
  const body = parseJson(text);
  if (isErrorResponse(body)) {
    const init: ApiErrorInit = { status, code: body.code, message: body.message };
    if (Array.isArray(body.errors)) init.fieldErrors = body.errors.filter(isFieldError);
    if (typeof body.errorId === 'string') init.errorId = body.errorId;
    return new ApiError(init);
  }
  return new ApiError({
    status,
    code: codeByStatus[status] ?? (status >= 500 ? ErrorCode.Internal : ClientErrorCode.UnexpectedResponse),
    message: `The server answered with status ${status}.`,
  });
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string';
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.field === 'string' && typeof candidate.message === 'string';
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
