import { createPinia, setActivePinia } from 'pinia';

import { useAgentSessionStore } from '../../stores/console/session';
import {
  jsonResponse,
  routeFetch,
  stubFetch,
  type FetchMock,
  type FetchRoute,
} from '../../testing/fetch-stub';
import { aSignIn } from './console-builders';

/**
 * The open-ticket store's specs share this world: a fresh Pinia, an agent signed in, and `serve` to
 * answer the API's routes (each call replaces the routes).
 */
export async function startTicketWorld(): Promise<{
  fetchMock: FetchMock;
  serve(routes: Record<string, FetchRoute>): void;
}> {
  setActivePinia(createPinia());
  const fetchMock = stubFetch();
  routeFetch(fetchMock, { 'POST /api/auth/login': () => jsonResponse(aSignIn()) });
  await useAgentSessionStore().signIn('grace@example.com', 'pw');
  return { fetchMock, serve: (routes) => routeFetch(fetchMock, routes) };
}
