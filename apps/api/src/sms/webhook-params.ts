import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ApiException } from '../http/api-exception';

/**
 * The parameters of a Vonage webhook, from the query (GET) or the body (POST JSON or form), as the
 * strings Vonage signs. Numbers and booleans a client sent as JSON are turned into their text;
 * objects and repeated keys are refused, naming the field.
 */
export function webhookParams(query: unknown, body: unknown): Record<string, string> {
  const source = body && typeof body === 'object' && Object.keys(body).length > 0 ? body : query;
  const params: Record<string, string> = {};
  const errors: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries((source ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') params[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') params[key] = String(value);
    else if (value !== null && value !== undefined)
      errors.push({ field: key, message: `${key} must be a single text value` });
  }
  if (errors.length > 0) {
    throw new ApiException(
      HttpStatus.BAD_REQUEST,
      ErrorCode.ValidationFailed,
      `Invalid ${errors.map((error) => error.field).join(', ')}`,
      errors,
    );
  }
  return params;
}

/** Vonage sends numbers as digits without `+`; we keep E.164. */
export function toE164(number: string): string {
  return number.startsWith('+') ? number : `+${number}`;
}
