import { createServer, type Server } from 'node:http';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Metrics } from './metrics';
import { metricsAccess } from './metrics-access';

/**
 * `/metrics` on METRICS_PORT, a port meant for an internal network only: Prometheus scrapes there,
 * and the public port needs no open metrics route. Nothing else is served on it.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metricsPort;
    if (port === undefined) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        return;
      }
      if (metricsAccess(this.config, request.headers.authorization, 'metrics') !== 'ok') {
        response
          .writeHead(401, { 'content-type': 'text/plain' })
          .end('Send METRICS_TOKEN as a bearer token\n');
        return;
      }
      this.metrics.render().then(
        (body) => response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(body),
        (error: Error) => {
          this.logger.error(`Rendering metrics failed: ${error.stack ?? error.message}`);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, resolve);
    });
    this.server = server;
    this.logger.log(`Metrics on http://${this.config.host}:${port}/metrics (keep this port internal)`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
