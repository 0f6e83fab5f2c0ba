import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io with the Postgres adapter: an emit on one instance reaches the sockets of every instance
 * (NOTIFY/LISTEN on the database they share), so no Redis is needed.
 */
export class PostgresIoAdapter extends IoAdapter {
  private pool?: Pool;

  constructor(
    app: INestApplicationContext,
    private readonly databaseUrl: string,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    this.pool = new Pool({
      connectionString: this.databaseUrl,
      max: 3,
      application_name: 'switchboard-sockets',
    });
    // The adapter's LISTEN connection has no error listener of its own: without one, a database
    // restart would crash the process. It reconnects by itself once the connection ends.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    server.adapter(createAdapter(this.pool, { errorHandler: () => undefined }));
    return server;
  }

  /**
   * Closes the sockets and the adapter but not the HTTP server: Fastify closes that itself, answering
   * 503 to requests still arriving on kept-alive connections. socket.io's own close would wait for
   * those connections to go idle, which under load never happens.
   */
  override async close(server: Server): Promise<void> {
    server.disconnectSockets(true);
    server.engine.close();
    (server.of('/').adapter as { close?: () => void }).close?.();
    // A LISTEN connection the database dropped is never handed back to the pool, and end() would
    // wait for it forever; everything else is closed well within this.
    await Promise.race([this.pool?.end(), sleep(2000, undefined, { ref: false })]);
  }
}
