import { describe, expect, it, vi } from 'vitest';

import { newClientId } from './client-id';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(newClientId.name, () => {
  it('makes a UUID v4', () => {
    expect(newClientId()).toMatch(uuidV4);
  });

  it('makes one from random bytes where randomUUID is missing (plain http)', () => {
    const realCrypto = globalThis.crypto;
    vi.stubGlobal('crypto', {
      getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => realCrypto.getRandomValues(bytes),
    });

    const ids = new Set(Array.from({ length: 50 }, () => newClientId()));

    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(uuidV4);
  });
});
