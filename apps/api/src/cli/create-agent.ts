import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { AgentsRepository } from '../agents/agents.repository';
import { MIN_PASSWORD_LENGTH, Passwords } from '../agents/passwords';
import { ConfigError, loadConfig } from '../config/load-config';
import { dataSourceOptions } from '../database/data-source-options';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrationsLocked } from '../database/migration-runner';

const USAGE = `Usage: pnpm agent:create --email <email> --name <name> [--admin]
The password is read from AGENT_PASSWORD when set (for scripts), otherwise asked for.`;

/** `pnpm agent:create`: adds an agent (or an admin) to the database Switchboard uses. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
    },
  });
  if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email) || !values.name?.trim()) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env);
  const password = config.agent.password ?? (await askPassword());
  if (password.length < MIN_PASSWORD_LENGTH) {
    console.error(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
    return 2;
  }

  // The database of a running Switchboard, or the one it would use.
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl ?? (await EmbeddedPostgres.runningUrl(config.dataDir));
  if (!url) {
    embedded = await EmbeddedPostgres.start({ dataDir: config.dataDir, port: config.embeddedDbPort });
    url = embedded.url;
  }
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await runMigrationsLocked(dataSource);
    const agent = await new AgentsRepository(dataSource).create(
      { email: values.email, name: values.name.trim(), role: values.admin ? 'admin' : 'agent' },
      await Passwords.hash(password),
    );
    if (!agent) {
      console.error(`An agent with the email ${values.email} already exists.`);
      return 1;
    }
    console.log(`Created ${agent.role} ${agent.name} <${agent.email}> (id ${agent.id}).`);
    return 0;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

/** Reads a password from the terminal without echoing it. */
function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    return Promise.reject(new Error('No terminal to ask for the password: set AGENT_PASSWORD'));
  }
  return new Promise((resolve) => {
    const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const mute = terminal as unknown as { _writeToOutput: (text: string) => void };
    process.stdout.write('Password: ');
    mute._writeToOutput = () => undefined;
    terminal.question('', (answer) => {
      terminal.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof ConfigError ? error.message : `agent:create failed: ${(error as Error).message}`,
    );
    process.exit(1);
  },
);
