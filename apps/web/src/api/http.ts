import { ErrorCode } from '@switchboard/contracts';
import type { ErrorResponse, FieldError } from '@switchboard/contracts';

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

export type SendMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  signal?: AbortSignal;
  /** Sent as `Authorization: Bearer …` (a chat session's or an agent's access token). */
  accessToken?: string;
}

export function apiGet<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return request<T>('GET', path, undefined, options);
}

export function apiSend<T>(
  method: SendMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  return request<T>(method, path, body, options);
}

async function request<T>(
  method: 'GET' | SendMethod,
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.accessToken) headers.Authorization = `Bearer ${options.accessToken}`;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  let text: string;
  try {
    response = await fetch(path, init);
    text = await response.text();
  } catch (error) {
    // An abort is the caller's own decision, not a failure to report.
    if (isAbort(error)) throw error;
    throw new NetworkError(error);
  }

  if (!response.ok) throw errorFromResponse(response.status, text);
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ApiError({
      status: response.status,
      code: ClientErrorCode.UnexpectedResponse,
      message: 'The server sent a response that is not JSON.',
      cause: error,
    });
  }
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
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
