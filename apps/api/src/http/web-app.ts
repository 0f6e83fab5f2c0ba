import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The pages' policy: only our own scripts, styles (inline attributes allowed), images and sockets. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Paths the SPA never owns: an unknown one is a JSON 404, not the app shell. */
const SERVER_PREFIXES = ['/api/', '/api?', '/webhooks/', '/socket.io/', '/health'];

/**
 * The built Vue app, served from the API's port: files as they are, hashed assets cached for good,
 * and any other page path answered with index.html so the client router can take it.
 */
export class WebApp {
  private constructor(private readonly root: string) {}

  /** Undefined when the web app has not been built (e.g. API-only tests). */
  static at(root: string): WebApp | undefined {
    return existsSync(join(root, 'index.html')) ? new WebApp(root) : undefined;
  }

  async register(app: NestFastifyApplication): Promise<void> {
    await app.register(fastifyStatic, {
      root: this.root,
      wildcard: false,
      setHeaders: (reply, path) => {
        const hashed = path.startsWith(join(this.root, 'assets'));
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        if (path.endsWith('.html')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      },
    });
  }

  servesPage(request: FastifyRequest): boolean {
    const path = request.url;
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (path === '/api' || SERVER_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
    // A missing file (`/assets/old-1234.js`) is a 404, not a page.
    if (/\.[a-z0-9]+$/i.test(path.split('?')[0]!)) return false;
    const accept = request.headers.accept ?? '';
    return accept === '' || accept.includes('text/html') || accept.includes('*/*');
  }

  sendIndex(reply: FastifyReply): FastifyReply {
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .type('text/html; charset=utf-8')
      .sendFile('index.html', this.root);
  }
}
