import { HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCode, type FieldError } from '@switchboard/contracts';
import { ApiException } from './api-exception';

/** Flattens class-validator's tree into one entry per field, named by its path (`items.0.quantity`). */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      const names = [...new Set(fields.map((error) => error.field))].join(', ');
      return new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Invalid ${names}`, fields);
    },
  });
}
