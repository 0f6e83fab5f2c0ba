import { HttpException, type HttpStatus } from '@nestjs/common';
import type { ErrorCode, FieldError } from '@switchboard/contracts';

/** An error the client caused and can act on: a status, a stable code, and the fields at fault. */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode | string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message, status);
  }
}
