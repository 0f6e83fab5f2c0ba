import { Passwords } from '../../src/agents/passwords';
import { aUsername } from './integration-api';
import type { TestApp } from './test-app';

export interface SignedInAgent {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  /** The refresh cookie, as `sb_refresh=…`. */
  cookie: string;
}

/** An agent (or admin) with a password, signed in through the real sign-in route. */
export async function aSignedInAgent(
  app: TestApp,
  role: 'agent' | 'admin' = 'agent',
  name = 'Grace Hopper',
): Promise<SignedInAgent> {
  const email = `${aUsername(role)}@switchboard.example`;
  const password = 'correct horse battery';
  const [{ id }] = (await app.db.query(
    `INSERT INTO users (role, name, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING id::text`,
    [role, name, email, await Passwords.hash(password)],
  )) as [{ id: string }];
  const { accessToken, cookie } = await signIn(app, email, password);
  return { id, email, password, accessToken, cookie };
}

let client = 0;

/**
 * Signs in as a client of its own (sign-in is limited per client address): each call comes from
 * another documentation address, which the app believes when started with TRUST_PROXY=loopback.
 */
export async function signIn(
  app: TestApp,
  email: string,
  password: string,
): Promise<{ accessToken: string; cookie: string }> {
  client += 1;
  const response = await fetch(`${app.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `198.51.${Math.floor(client / 250) % 250}.${(client % 250) + 1}`,
    },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { accessToken, cookie: response.headers.get('set-cookie')!.split(';')[0]! };
}
