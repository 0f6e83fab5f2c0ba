// First: V8's heap policy applies to the heap from here on.
import './heap-growth';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import type { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { EmbeddedPostgres } from './database/embedded-postgres';

async function main(): Promise<void> {
  const logger = new Logger('Switchboard');
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Switchboard cannot start. ${error.message}\nSee .env.example for every variable.`);
    process.exit(1);
  }

  let stopping = false;
  let database: EmbeddedPostgres | undefined;
  if (!config.databaseUrl) {
    logger.log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
    database = await EmbeddedPostgres.start({
      dataDir: config.dataDir,
      port: config.embeddedDbPort,
      // Our own stop ends the connections still open (the job queue's last polls): not news.
      onLog: (line) => {
        if (!(stopping && /terminating connection due to administrator command/.test(line)))
          logger.warn(`postgres: ${line}`);
      },
    });
  }

  const app = await createApp({ config, databaseUrl: config.databaseUrl ?? database!.url }).catch(
    async (error: unknown) => {
      await database?.stop();
      throw error;
    },
  );

  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: shutting down`);
    // Fastify closes the connections that are idle when closing starts; one that finishes its request
    // afterwards would otherwise be kept alive (and hold the close) until the client lets it go.
    const server = app.getHttpServer();
    const sweeper = setInterval(() => server.closeIdleConnections(), 250);
    await app.close().catch((error: Error) => logger.error(`Closing the app failed: ${error.message}`));
    clearInterval(sweeper);
    await database?.stop();
    logger.log('Stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));

  await app.listen({ port: config.port, host: config.host });
  if (config.webhooks.allowUnsigned && !config.signature) {
    logger.warn(
      'VONAGE_ALLOW_UNSIGNED=true: SMS webhooks are not signed, so anyone who finds their URL can post fake ones ' +
        `(checked: api-key${config.webhooks.pathToken ? ', secret path' : ''}). Ask Vonage to sign webhooks.`,
    );
  }
  const sms = config.vonage ? 'Vonage' : 'sandbox';
  const email = config.sendinblue ? 'Sendinblue/Brevo' : 'sandbox';
  const db = database ? `embedded PostgreSQL (${config.dataDir})` : 'PostgreSQL at DATABASE_URL';
  logger.log(`SMS: ${sms} · email: ${email} · database: ${db}`);
  logger.log(`Switchboard is up at ${config.publicUrl} (listening on ${config.host}:${config.port})`);
  logSandbox(logger, config);
}

function logSandbox(logger: Logger, config: AppConfig): void {
  const { sandbox, publicUrl } = config;
  if (!sandbox) return;
  const pages = [
    ...(sandbox.phone ? [`phone ${publicUrl}/sandbox/phone`] : []),
    ...(sandbox.mailbox ? [`mailbox ${publicUrl}/sandbox/mail`, `shop ${publicUrl}/sandbox/shop`] : []),
  ];
  if (sandbox.agentsOnly) {
    const standIns = [...(sandbox.phone ? ['SMS'] : []), ...(sandbox.mailbox ? ['email'] : [])].join(' and ');
    logger.warn(
      `SANDBOX=true in production: ${standIns} go${sandbox.phone && sandbox.mailbox ? '' : 'es'} to sandbox ` +
        `stand-ins and reach nobody; their pages answer signed-in agents only (${pages.join(' · ')}). ` +
        'Configure the real provider and remove SANDBOX before customers rely on this installation.',
    );
    return;
  }
  logger.log(`Sandbox: try it without accounts — ${[...pages, `console ${publicUrl}/agent`].join(' · ')}`);
}

main().catch((error: unknown) => {
  console.error('Switchboard failed to start:', error);
  process.exit(1);
});
