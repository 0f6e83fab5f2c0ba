import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { ApiException } from '../../http/api-exception';

export function replayed(): ApiException {
  return new ApiException(
    HttpStatus.UNAUTHORIZED,
    ErrorCode.Unauthorized,
    'Webhook signature rejected: this nonce was already used by another request',
  );
}
