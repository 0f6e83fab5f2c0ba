import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, type Logger } from '@nestjs/common';
import { ErrorCode, type ErrorResponse } from '@switchboard/contracts';
import { ApiException } from './api-exception';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.MalformedBody,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthorized,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UnsupportedMediaType,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.TooManyRequests,
};

/** Fastify's own errors (body parsing, limits) that the client caused. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: ErrorCode.UnsupportedMediaType,
    message: 'Unsupported content type: send application/json or application/x-www-form-urlencoded',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: ErrorCode.PayloadTooLarge,
    message: 'Request body is too large',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: ErrorCode.MalformedBody,
    message: 'Body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: ErrorCode.MalformedBody,
    message: 'Body is empty but content-type is application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: ErrorCode.MalformedBody,
    message: 'Content-Length does not match the body',
  },
};

/**
 * Errors Fastify's router raises before any route runs (`frameworkErrors`): a path that is not valid
 * UTF-8 once decoded, or a segment longer than any id, name or token of ours. Such a path names
 * nothing, so it is an ordinary 404, in our shape.
 */
export function frameworkErrorResponse(error: { code?: string }): ErrorResponse | undefined {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return { statusCode: HttpStatus.NOT_FOUND, code: ErrorCode.NotFound, message: 'Not Found' };
  }
  return undefined;
}

/**
 * The one place an error becomes an HTTP answer. Client errors say what to fix; anything else is a
 * 500 carrying only an id, with the stack logged under that id.
 */
export function toErrorResponse(error: unknown, logger: Logger): ErrorResponse {
  if (error instanceof ApiException) {
    return {
      statusCode: error.getStatus(),
      code: error.code,
      message: error.message,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    return {
      statusCode: status,
      code: CODE_BY_STATUS[status] ?? `http/${status}`,
      message: messageOf(error),
    };
  }
  const fastify = fastifyClientError(error);
  if (fastify) return fastify;

  const errorId = randomUUID();
  logger.error(`Unhandled error ${errorId}: ${(error as Error)?.stack ?? String(error)}`);
  return { statusCode: 500, code: ErrorCode.Internal, message: 'Something went wrong on our side', errorId };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
}

function fastifyClientError(error: unknown): ErrorResponse | undefined {
  const { code, statusCode } = (error ?? {}) as { code?: string; statusCode?: number };
  const known = code ? FASTIFY_CLIENT_ERRORS[code] : undefined;
  if (known) return { statusCode: known.status, code: known.code, message: known.message };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      statusCode,
      code: CODE_BY_STATUS[statusCode] ?? `http/${statusCode}`,
      message: (error as Error).message,
    };
  }
  return undefined;
}
