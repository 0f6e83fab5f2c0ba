import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What a route can ask of the body it takes (`RouteConfig`). */
export interface RawBodyConfig {
  /** The body's exact bytes stay on the request as `rawBody` (for a signature over them). */
  rawBody?: true;
}

export type WithRawBody = FastifyRequest & { rawBody?: Buffer };

/**
 * Reads the body of the routes that verify a signature over its bytes (`ServerToServer({ rawBody:
 * true })`: voice webhooks, the JWT's `payload_hash`) once, keeps it, and hands the parser the same
 * bytes. Every other route parses as before: no request pays for a copy it does not need.
 */
export function keepRawBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request: FastifyRequest, _reply, payload) => {
    if (!(request.routeOptions.config as RawBodyConfig | undefined)?.rawBody) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      // The route's body limit holds here too, before anything more is read.
      if (size > request.routeOptions.bodyLimit) {
        throw Object.assign(new Error('Request body is too large'), {
          statusCode: 413,
          code: 'FST_ERR_CTP_BODY_TOO_LARGE',
        });
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    (request as WithRawBody).rawBody = raw;
    const replay = Readable.from([raw]) as Readable & { receivedEncodedLength?: number };
    replay.receivedEncodedLength = raw.length;
    return replay;
  });
}
