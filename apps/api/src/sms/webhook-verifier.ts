import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';
import { checkSignature } from './webhook-signature';

const digest = (value: string) => createHash('sha256').update(value).digest();
const sameText = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export interface VerifiedSignature {
  nonce: string;
  signature: string;
}

/** With VONAGE_SIGNATURE_SECRET set, every SMS webhook must carry a valid, fresh `sig`. */
@Injectable()
export class WebhookVerifier {
  constructor(private readonly config: AppConfig) {}

  /** Undefined when signing is off; throws 401 when the signature is missing, stale or wrong. */
  verify(params: Record<string, string>): VerifiedSignature | undefined {
    const { signature, vonage } = this.config;
    if (!signature) {
      // Unsigned, a webhook must at least name our account: anyone can guess a URL, not the key.
      if (vonage && !sameText(params['api-key'] ?? '', vonage.apiKey)) {
        throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          ErrorCode.Unauthorized,
          'Webhook rejected: api-key is not ours',
        );
      }
      return undefined;
    }
    const check = checkSignature(params, signature.secret, signature.method);
    if (!check.valid) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        `Webhook signature rejected: ${check.reason}`,
      );
    }
    return { nonce: check.nonce, signature: check.signature };
  }
}
