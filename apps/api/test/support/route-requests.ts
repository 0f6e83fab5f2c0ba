import type { ValidRequest } from './route-access';
import { aClientAddress } from './principals';

export interface RouteCall {
  status: number;
  contentType: string;
  /** Parsed JSON, or the text. */
  body: unknown;
}

/** How a test may send what no well-behaved client would: bytes as they are, at any place. */
export interface RawRequest extends ValidRequest {
  /** Path parameters already percent-encoded (`%00`, `%ED%A0%80`), in place of `params`. */
  rawParams?: Record<string, string>;
  /** The query string as it is, in place of `query`. */
  rawQuery?: string;
  /** The body as it is, in place of `body`, sent as `contentType` (default JSON). */
  rawBody?: string | Buffer;
  contentType?: string;
}

/** `GET /api/tickets/{id}` with `{ id: '7' }` → `GET`, `/api/tickets/7`. */
export function routeTarget(
  route: string,
  request: Pick<RawRequest, 'params' | 'rawParams'>,
): [string, string] {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const raw = request.rawParams?.[name];
    if (raw !== undefined) return raw;
    const value = request.params?.[name];
    if (value === undefined) throw new Error(`${route}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return [method, path];
}

/**
 * Calls a route the way a client would. The body is JSON unless `encoding` says form; `rawBody` (with
 * its `contentType`) replaces it. Every call comes from a client address of its own.
 */
export async function callRoute(
  baseUrl: string,
  route: string,
  request: RawRequest,
  bearer?: string,
): Promise<RouteCall> {
  const [method, path] = routeTarget(route, request);
  const query =
    request.rawQuery !== undefined
      ? `?${request.rawQuery}`
      : request.query
        ? `?${new URLSearchParams(request.query)}`
        : '';
  let body: string | Buffer | undefined;
  let contentType: string | undefined;
  if (request.rawBody !== undefined) {
    body = request.rawBody;
    contentType = request.contentType ?? 'application/json';
  } else if (request.body !== undefined) {
    const form = request.encoding === 'form';
    body = form
      ? new URLSearchParams(request.body as Record<string, string>).toString()
      : JSON.stringify(request.body);
    contentType = form ? 'application/x-www-form-urlencoded' : 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}${query}`, {
    method,
    headers: {
      'x-forwarded-for': aClientAddress(),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(contentType ? { 'content-type': contentType } : {}),
    },
    body,
  });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  let parsed: unknown = text;
  if (type.startsWith('application/json')) {
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, contentType: type, body: parsed };
}

/** Runs `work` over `items`, at most `limit` at a time, keeping their order in the results. */
export async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/** Why an error answer is not an `ErrorResponse`, or undefined when it is one (or not an error). */
export function errorShapeProblem(call: RouteCall): string | undefined {
  if (call.status < 400) return undefined;
  if (!call.contentType.startsWith('application/json')) return `not JSON but ${call.contentType}`;
  const body = call.body as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (body?.statusCode !== call.status) return `statusCode ${String(body?.statusCode)}`;
  if (typeof body.code !== 'string' || typeof body.message !== 'string') return 'no code or message';
  return undefined;
}
