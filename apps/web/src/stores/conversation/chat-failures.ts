import { ErrorCode } from '@switchboard/contracts';

import { ApiError, ClientErrorCode } from '../../api/http';
import { ChatRequestError } from '../../chat/chat-transport';

/** No answer came (offline, a dropped socket): the same request may be tried again. */
export function isUnanswered(cause: unknown): boolean {
  return (
    (cause instanceof ChatRequestError && cause.unanswered) ||
    (cause instanceof ApiError && cause.code === ClientErrorCode.Network)
  );
}

/** The server failed on its side: worth trying again later, not the customer's fault. */
export function isServerFault(cause: unknown): boolean {
  return (
    (cause instanceof ChatRequestError && cause.code === ErrorCode.Internal) ||
    (cause instanceof ApiError && cause.status >= 500)
  );
}

/** What to show beside a message the server refused. */
export function reason(cause: unknown): string {
  if (cause instanceof ChatRequestError && cause.code === ErrorCode.Internal) {
    return 'Something went wrong on our side.';
  }
  return cause instanceof Error ? cause.message : String(cause);
}

export function toApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  if (cause instanceof ChatRequestError) {
    return new ApiError({ status: 0, code: cause.code, message: cause.message, cause });
  }
  return new ApiError({
    status: 0,
    code: ClientErrorCode.UnexpectedResponse,
    message: cause instanceof Error ? cause.message : String(cause),
    cause,
  });
}
