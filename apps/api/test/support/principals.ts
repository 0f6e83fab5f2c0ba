import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { Passwords } from '../../src/agents/passwords';
import { asVonageSends, type RunningDeployment } from './deployments';
import { eventually } from './eventually';
import { aUsername, integrationApi } from './integration-api';
import { deliver, inboundSms } from './sms-webhooks';

/** Everyone who knocks: each route and socket event is tried as each of them. */
export const PRINCIPALS = [
  'anonymous',
  'customerA',
  'customerB',
  'agent',
  'admin',
  'integration',
  'expired',
  'foreignSecret',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

export interface ShopCustomer {
  id: string;
  username: string;
  conversationId: string;
  /** The `token` of the chat link in their order email. */
  linkToken: string;
  /** The chat session that link opened. */
  accessToken: string;
}

export interface SignedInAgent {
  id: string;
  email: string;
  accessToken: string;
}

/** The people and things the routes are tried on, in one running deployment. */
export interface Cast {
  /** The bearer token each principal sends (none for `anonymous`). */
  bearer: Record<PrincipalName, string | undefined>;
  customerA: ShopCustomer;
  customerB: ShopCustomer;
  /** Whose ticket, chat links and profile the agents' and the shop's changes land on. */
  customerC: ShopCustomer;
  agent: SignedInAgent;
  admin: SignedInAgent;
  /** Another agent, whom the admin re-enables. */
  colleague: { id: string };
  /** Any agent's password (they share it). */
  password: string;
  /** An SMS ticket whose confirmation failed: agents may resend it. */
  smsTicket: { id: string; phone: string; failedMessageId: string };
}

const PASSWORD = 'correct horse battery staple';

/**
 * A fresh client address per call (IPv4: rate limits count a whole IPv6 /64 as one client), so
 * per-address rate limits (sign-in, chat sessions) never decide a status.
 */
export function aClientAddress(): string {
  clientSequence += 1;
  return `198.${18 + (clientSequence >> 16)}.${(clientSequence >> 8) & 0xff}.${clientSequence & 0xff}`;
}
let clientSequence = 0;

export async function castFor(running: RunningDeployment): Promise<Cast> {
  const { sut, deployment } = running;
  const passwordHash = await Passwords.hash(PASSWORD);
  const [agent, admin, colleague] = (await sut.db.query(
    `INSERT INTO users (role, name, email, password_hash)
     SELECT role, 'An ' || role, role || '-' || n || '@switchboard.example', $1
       FROM unnest(ARRAY['agent', 'admin', 'agent']) WITH ORDINALITY AS cast_member(role, n)
     RETURNING id::text, email`,
    [passwordHash],
  )) as { id: string; email: string }[];
  const failedSms = failedSmsTicket(running);
  const [customerA, customerB, customerC, agentToken, adminToken] = await Promise.all([
    aShopCustomer(running),
    aShopCustomer(running),
    aShopCustomer(running),
    signIn(running, agent!.email),
    signIn(running, admin!.email),
  ]);
  const jwt = new JwtService();
  const now = Math.floor(Date.now() / 1000);
  const adminClaims = {
    typ: 'agent-access',
    sub: admin!.id,
    role: 'admin',
    name: 'An admin',
    sid: randomUUID(),
  };
  return {
    bearer: {
      anonymous: undefined,
      customerA: customerA.accessToken,
      customerB: customerB.accessToken,
      agent: agentToken,
      admin: adminToken,
      integration: deployment.apiToken,
      // An admin's claims, as strong as they come, but expired or signed with another secret.
      expired: jwt.sign(
        { ...adminClaims, iat: now - 3600, exp: now - 60 },
        { secret: deployment.jwtSecret, algorithm: 'HS256' },
      ),
      foreignSecret: jwt.sign(
        { ...adminClaims, iat: now, exp: now + 600 },
        { secret: `not-${deployment.jwtSecret}`, algorithm: 'HS256' },
      ),
    },
    customerA,
    customerB,
    customerC,
    agent: { ...agent!, accessToken: agentToken },
    admin: { ...admin!, accessToken: adminToken },
    colleague: colleague!,
    password: PASSWORD,
    smsTicket: await failedSms,
  };
}

/** A shop customer with an email, one order, and the chat session its link opens. */
export async function aShopCustomer({ sut, deployment }: RunningDeployment): Promise<ShopCustomer> {
  const api = integrationApi(sut, deployment.apiToken);
  const username = aUsername();
  const created = await api.post('/api/users', { username, name: 'Ada', email: `${username}@example.com` });
  if (created.status !== 201) throw new Error(`POST /api/users answered ${created.status}`);
  const { id, conversationId } = (await created.json()) as { id: string; conversationId: string };
  const order = await api.post('/order', { username });
  if (order.status !== 201) throw new Error(`POST /order answered ${order.status}`);
  const { chatUrl } = (await order.json()) as { chatUrl: string };
  const linkToken = new URL(chatUrl).searchParams.get('token')!;
  const session = await fetch(`${sut.baseUrl}/api/chat/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': aClientAddress() },
    body: JSON.stringify({ conversationId, token: linkToken }),
  });
  if (session.status !== 200) throw new Error(`POST /api/chat/session answered ${session.status}`);
  const { accessToken } = (await session.json()) as { accessToken: string };
  return { id, username, conversationId, linkToken, accessToken };
}

async function signIn({ sut }: RunningDeployment, email: string): Promise<string> {
  return (await signInWithCookie(sut.baseUrl, email)).accessToken;
}

async function signInWithCookie(
  baseUrl: string,
  email: string,
): Promise<{ accessToken: string; cookie: string }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': aClientAddress() },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`POST /api/auth/login answered ${response.status}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { accessToken, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '' };
}

/** A new agent, signed in: their access token and their refresh cookie. */
export async function anAgentSignedIn(
  running: RunningDeployment,
): Promise<{ id: string; accessToken: string; cookie: string }> {
  const email = `${aUsername('agent')}@switchboard.example`;
  const [{ id }] = (await running.sut.db.query(
    `INSERT INTO users (role, name, email, password_hash) VALUES ('agent', 'Another agent', $1, $2) RETURNING id::text`,
    [email, await Passwords.hash(PASSWORD)],
  )) as [{ id: string }];
  return { id, ...(await signInWithCookie(running.sut.baseUrl, email)) };
}

/**
 * A texter whose ticket's confirmation SMS failed for good: the sandbox's unreachable numbers end in
 * 0666; real Vonage is told to refuse it (status 7, number barred).
 */
async function failedSmsTicket(running: RunningDeployment): Promise<Cast['smsTicket']> {
  const { sut, deployment, vonage } = running;
  const phone = `4477009${String(Math.floor(Math.random() * 100)).padStart(2, '0')}0666`;
  vonage?.reply({ status: '7' });
  const path = `/webhooks/inbound-sms${deployment.pathToken ? `/${deployment.pathToken}` : ''}`;
  const response = await deliver(sut.baseUrl, path, asVonageSends(deployment, inboundSms({ msisdn: phone })));
  if (response.status !== 204) throw new Error(`The inbound SMS webhook answered ${response.status}`);
  return eventually(async () => {
    const [row] = await sut.db.query<{ id: string; failed: string }>(
      `SELECT t.id::text, m.id::text AS failed
         FROM tickets t JOIN users u ON u.id = t.customer_id JOIN messages m ON m.ticket_id = t.id
        WHERE u.phone = $1 AND m.direction = 'out' AND m.status = 'failed'`,
      [`+${phone}`],
    );
    return row && { id: row.id, phone, failedMessageId: row.failed };
  }, 'the confirmation SMS failed');
}
