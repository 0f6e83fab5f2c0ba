import argon2 from 'argon2';

/** Agent passwords, hashed with argon2id (the library's defaults: 64 MiB, 3 passes). */
export const Passwords = {
  hash: (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id }),
  verify: async (hash: string, password: string): Promise<boolean> => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};

/** At least 10 characters: long enough to resist guessing at the login's rate limit. */
export const MIN_PASSWORD_LENGTH = 10;
