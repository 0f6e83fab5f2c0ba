import { vi, type Mock } from 'vitest';

export type FetchMock = Mock<typeof fetch>;

/** Replaces `globalThis.fetch` for one test (vitest's `unstubGlobals` puts it back). */
export function stubFetch(): FetchMock {
  const fetchMock: FetchMock = vi.fn<typeof fetch>();
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** A fetch that never settles, to look at a loading state. */
export function pendingResponse(): Promise<Response> {
  return new Promise<Response>(() => {});
}

/** The URL and method of the n-th call, the way a test wants to assert them. */
export function fetchCall(
  fetchMock: FetchMock,
  index = 0,
): { url: string; method: string; init: RequestInit } {
  const call = fetchMock.mock.calls[index];
  if (!call) throw new Error(`fetch was not called ${index + 1} time(s)`);
  const [input, init = {}] = call;
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return { url, method: init.method ?? 'GET', init };
}

export type FetchRoute = (call: { url: URL; init: RequestInit }) => Response | Promise<Response>;

/**
 * Answers each call by `"METHOD /path"` (the query string is not part of the key), for pages that make
 * several calls whose order does not matter. A call no route expects rejects, so the test sees it.
 */
export function routeFetch(fetchMock: FetchMock, routes: Record<string, FetchRoute>): void {
  fetchMock.mockImplementation(async (input, init = {}) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://app.test');
    const key = `${init.method ?? 'GET'} ${url.pathname}`;
    const route = routes[key];
    if (!route) throw new Error(`Unexpected fetch: ${key}`);
    return route({ url, init });
  });
}
