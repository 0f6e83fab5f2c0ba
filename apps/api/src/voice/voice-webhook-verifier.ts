import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCode } from '@switchboard/contracts';
import { InstanceSecrets } from '../auth/instance-secrets';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../http/api-exception';

/** How far a webhook's `iat` may be from our clock: older ones are refused, so a nonce need not live for ever. */
export const VOICE_SIGNATURE_WINDOW_SECONDS = 300;

interface VoiceWebhookClaims {
  iat?: number;
  jti?: string;
  payload_hash?: string;
  api_key?: string;
  application_id?: string;
}

export interface VerifiedVoiceWebhook {
  /** The token's id: a token is used once. */
  jti: string;
  payloadHash: string;
}

/**
 * Vonage signs voice webhooks with a JWT (HS256, the account's signature secret) in `Authorization`,
 * whose `payload_hash` is the SHA-256 of the body's exact bytes. Unsigned, forged, stale or altered →
 * 401; never accepted unsigned. The sandbox's simulated network signs the same way, with
 * VONAGE_SIGNATURE_SECRET when set and else the instance's own secret.
 */
@Injectable()
export class VoiceWebhookVerifier {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: InstanceSecrets,
    private readonly jwt: JwtService,
  ) {}

  /** The secret voice webhooks are signed with. */
  get secret(): string {
    return this.config.signature?.secret ?? this.secrets.signingSecret;
  }

  /** A token for `body`, as Vonage makes them (the sandbox's network signs with it). */
  sign(body: string, now = Math.floor(Date.now() / 1000)): string {
    const claims: VoiceWebhookClaims = {
      iat: now,
      jti: crypto.randomUUID(),
      payload_hash: sha256(body),
      application_id:
        this.config.voice?.provider === 'vonage' ? this.config.voice.application.applicationId : 'sandbox',
    };
    return this.jwt.sign(claims, { secret: this.secret, algorithm: 'HS256' });
  }

  /**
   * `bodyless`: a GET (the answer URL's default), whose `payload_hash` Vonage does not document; it is
   * checked when present.
   */
  verify(
    authorization: string | undefined,
    rawBody: Buffer | undefined,
    options: { bodyless?: boolean } = {},
  ): VerifiedVoiceWebhook {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw rejected('no Bearer token in Authorization');
    let claims: VoiceWebhookClaims;
    try {
      claims = this.jwt.verify<VoiceWebhookClaims>(token, { secret: this.secret, algorithms: ['HS256'] });
    } catch {
      throw rejected('the token is not signed with our signature secret');
    }
    if (typeof claims.jti !== 'string' || claims.jti.length === 0) throw rejected('the token has no jti');
    if (
      typeof claims.iat !== 'number' ||
      Math.abs(Date.now() / 1000 - claims.iat) > VOICE_SIGNATURE_WINDOW_SECONDS
    )
      throw rejected(
        `the token was not issued within the last ${VOICE_SIGNATURE_WINDOW_SECONDS / 60} minutes`,
      );
    const voice = this.config.voice;
    if (
      voice?.provider === 'vonage' &&
      claims.application_id !== undefined &&
      claims.application_id !== voice.application.applicationId
    )
      throw rejected('the token is for another Vonage application');
    const hash = sha256(rawBody ?? Buffer.alloc(0));
    const unchecked = options.bodyless && claims.payload_hash === undefined;
    if (!unchecked && (typeof claims.payload_hash !== 'string' || !sameHex(claims.payload_hash, hash)))
      throw rejected('payload_hash does not match the body');
    return { jti: claims.jti, payloadHash: hash };
  }
}

function sha256(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a.toLowerCase()), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

function rejected(reason: string): ApiException {
  return new ApiException(
    HttpStatus.UNAUTHORIZED,
    ErrorCode.Unauthorized,
    `Voice webhook rejected: ${reason}`,
  );
}
