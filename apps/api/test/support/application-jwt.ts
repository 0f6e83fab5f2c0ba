import { type KeyObject, verify } from 'node:crypto';

/**
 * Whether `authorization` is `Bearer <JWT>` signed RS256 by the key pair of `applicationId`, not
 * expired: how Vonage's APIs take our application's requests (the emulators check it so).
 */
export function signedByApplication(
  authorization: string | undefined,
  publicKey: KeyObject,
  applicationId: string,
): boolean {
  const [header, claims, signature] = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1]?.split('.') ?? [];
  if (!header || !claims || !signature) return false;
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${claims}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  const payload = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>;
  return valid && payload.application_id === applicationId && Number(payload.exp) > Date.now() / 1000;
}
