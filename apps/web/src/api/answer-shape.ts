import { ApiError, ClientErrorCode } from './http';

/** An answer that is not the shape the route documents (a proxy's page, an older server): said plainly. */
export function unexpectedShape(route: string): ApiError {
  return new ApiError({
    status: 200,
    code: ClientErrorCode.UnexpectedResponse,
    message: `${route} answered with an unexpected shape.`,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
