import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';

/**
 * socket.io with the Postgres adapter: an emit on one instance reaches the sockets of every instance
 * (NOTIFY/LISTEN on the database they share), so no Redis is needed. Gateway handlers are bound to a
 * socket with plain listeners rather than NestJS's rxjs pipelines (see `bindMessageHandlers`).
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
   * The same contract as IoAdapter's binding (guards, pipes, filters and interceptors all run inside
   * `callback`; a non-nil result is the ack, or an emit when it names an `event`; an Observable's
   * values each answer), without its per-socket and per-event rxjs chains: with thousands of sockets
   * those were ~18 KB of heap per socket and ~40% of what each chat message left for the old
   * generation, and the full collections that followed were the chat's latency tail (bench:chat at
   * 2,000 conversations, docs/benchmarks.md). `transform` is NestJS's pickResult + mergeAll, done here.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    _transform: unknown,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // As rxjs's fromEvent hands it on: a lone argument as itself, several (data and ack) as an array.
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        const answer = (response: unknown): void => {
          if (response === null || response === undefined) return;
          const event = (response as { event?: unknown }).event;
          if (event) {
            socket.emit(event as string, (response as { data?: unknown }).data);
          } else if (!isAckHandledManually && typeof ack === 'function') {
            (ack as (value: unknown) => void)(response);
          }
        };
        // The callback never rejects: NestJS's exception filters answer a failure themselves.
        void Promise.resolve(callback(data, ack)).then((result: unknown) => {
          if (isObservable(result)) result.subscribe({ next: answer, error: () => undefined });
          else answer(result);
        });
      });
    }
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
