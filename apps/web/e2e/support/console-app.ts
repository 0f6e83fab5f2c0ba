import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SandboxPhoneConversation, SandboxPhoneMessage } from '@switchboard/contracts';
import type { Page } from 'playwright-core';

import { apiMain, type RunningApp } from './app-process';
import { shopTestEnv } from './shop';

/** The demo agent the console tests sign in as (sandbox mode creates it from these). */
export const CONSOLE_AGENT = { email: 'console-agent@switchboard.example', password: 'console-e2e-password' };
/** The name sandbox mode gives the demo agent. */
export const DEMO_AGENT_NAME = 'Demo Agent';

/** Everything the console tests need: the demo agent's credentials and the shop's integration token. */
export const consoleTestEnv: Record<string, string> = {
  ...shopTestEnv,
  AGENT_EMAIL: CONSOLE_AGENT.email,
  AGENT_PASSWORD: CONSOLE_AGENT.password,
};

const SUPPORT_NUMBER = '447700900000';
let numbers = 0;

/** A fresh customer number: `4477009` and five digits, never `…0666` (the sandbox fails those). */
export function aPhoneNumber(): string {
  numbers += 1;
  const digits = ((Date.now() % 9_000) + numbers * 7) % 10_000;
  return `44770091${String(digits === 666 ? 667 : digits).padStart(4, '0')}`;
}

/** A number the sandbox provider fails every SMS to (it ends in 0666). */
export function aFailingPhoneNumber(): string {
  numbers += 1;
  return `4477009${numbers % 10}0666`;
}

/** The customer texts the support number: the real inbound webhook, as Vonage calls it. */
export async function textSupport(app: RunningApp, from: string, text: string): Promise<void> {
  const response = await fetch(`${app.baseUrl}/webhooks/inbound-sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      msisdn: from,
      to: SUPPORT_NUMBER,
      messageId: randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      text,
      type: 'text',
      'api-key': 'x',
      'message-timestamp': new Date().toISOString().slice(0, 19).replace('T', ' '),
    }),
  });
  if (response.status >= 300)
    throw new Error(`Inbound SMS webhook: ${response.status} ${await response.text()}`);
}

/** What the customer's phone got: the sandbox provider's log for that number. */
export async function phoneMessages(app: RunningApp, number: string): Promise<SandboxPhoneMessage[]> {
  const response = await fetch(`${app.baseUrl}/api/sandbox/phones/${number}/messages`);
  if (response.status !== 200) throw new Error(`Sandbox phone: ${response.status} ${await response.text()}`);
  return ((await response.json()) as SandboxPhoneConversation).messages;
}

/** Polls `find` until it returns something, or fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(
  find: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Signs in through the console's own form, starting wherever `path` redirects a signed-out agent. */
export async function signInThroughConsole(page: Page, app: RunningApp, path = '/agent'): Promise<void> {
  await page.goto(`${app.baseUrl}${path}`);
  await page.getByTestId('login-email').fill(CONSOLE_AGENT.email);
  await page.getByTestId('login-password').fill(CONSOLE_AGENT.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console').waitFor();
}

/** The inbox row of the ticket whose customer (name or phone) is `who`. */
export function inboxRow(page: Page, who: string) {
  return page
    .getByTestId('inbox-row')
    .filter({ has: page.getByTestId('inbox-row-name').getByText(who, { exact: true }) });
}

/** The thread message with exactly this text. */
export function threadMessage(page: Page, text: string) {
  return page
    .getByTestId('thread-message')
    .filter({ has: page.getByTestId('message-body').getByText(text, { exact: true }) });
}

/** The ticket number a console URL shows (`/agent/tickets/<id>`). */
export function ticketIdOf(page: Page): string {
  const match = /\/agent\/tickets\/(\d+)/.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`Not on a ticket: ${page.url()}`);
  return match[1]!;
}

interface DatabaseClient {
  connect(): Promise<void>;
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
}

/**
 * Runs SQL on the app's embedded PostgreSQL, for what no API offers: moving a ticket's resolution into
 * the past to test the reopen window. `pg` is the API's dependency, borrowed from its workspace.
 */
export async function withAppDatabase<T>(
  app: RunningApp,
  work: (db: DatabaseClient) => Promise<T>,
): Promise<T> {
  const supportDir = fileURLToPath(new URL('.', import.meta.url));
  const requireFromApi = createRequire(resolve(supportDir, '../../../api/package.json'));
  const { Client } = requireFromApi('pg') as {
    Client: new (config: { connectionString: string }) => DatabaseClient;
  };
  const password = (await readFile(join(app.dataDir, 'postgres-password'), 'utf8')).trim();
  const pidFile = await readFile(join(app.dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  const port = Number(pidFile.split('\n')[3]);
  const db = new Client({
    connectionString: `postgres://switchboard:${encodeURIComponent(password)}@127.0.0.1:${port}/switchboard`,
  });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** Makes a resolved ticket look resolved `days` ago. */
export function resolveTicketDaysAgo(app: RunningApp, ticketId: string, days: number): Promise<void> {
  return withAppDatabase(app, async (db) => {
    await db.query(
      `UPDATE tickets SET status = 'resolved', resolved_at = now() - make_interval(days => $2) WHERE id = $1`,
      [ticketId, days],
    );
  });
}

export interface NewAgent {
  email: string;
  name: string;
  password: string;
}

/** Adds an agent to the running app's database the way an operator does: `pnpm agent:create`. */
export async function createAgent(app: RunningApp, agent: NewAgent): Promise<void> {
  const cli = resolve(apiMain, '../cli/create-agent.js');
  const child = spawn(process.execPath, [cli, '--email', agent.email, '--name', agent.name], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: app.dataDir, AGENT_PASSWORD: agent.password },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`pnpm agent:create exited with ${code}: ${output}`);
}
