import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../api/http';
import { aSignIn } from '../../console/testing/console-builders';
import { fetchCall, jsonResponse, routeFetch, stubFetch, type FetchMock } from '../../testing/fetch-stub';
import { useAgentSessionStore } from './session';

describe('useAgentSessionStore', () => {
  let fetchMock: FetchMock;

  beforeEach(() => {
    setActivePinia(createPinia());
    fetchMock = stubFetch();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs in with email and password and keeps the token in memory', async () => {
    routeFetch(fetchMock, { 'POST /api/auth/login': () => jsonResponse(aSignIn()) });
    const sut = useAgentSessionStore();

    await sut.signIn('grace@example.com', 'correct horse');

    expect(sut.signedIn).toBe(true);
    expect(sut.agent?.name).toBe('Grace Hopper');
    expect(sut.accessToken).toBe('token-1');
    expect(JSON.parse(String(fetchCall(fetchMock).init.body))).toEqual({
      email: 'grace@example.com',
      password: 'correct horse',
    });
  });

  it('passes a wrong password on as the API’s error, still signed out', async () => {
    routeFetch(fetchMock, {
      'POST /api/auth/login': () =>
        jsonResponse({ statusCode: 401, code: 'auth/unauthorized', message: 'Wrong email or password' }, 401),
    });
    const sut = useAgentSessionStore();

    await expect(sut.signIn('grace@example.com', 'nope')).rejects.toMatchObject({ status: 401 });
    expect(sut.signedIn).toBe(false);
  });

  it('restores a session from the refresh cookie on page load, or says there is none', async () => {
    routeFetch(fetchMock, {
      'POST /api/auth/refresh': () => jsonResponse(aSignIn({ accessToken: 'restored' })),
    });
    const sut = useAgentSessionStore();

    await expect(sut.restore()).resolves.toBe(true);
    expect(sut.accessToken).toBe('restored');

    setActivePinia(createPinia());
    routeFetch(fetchMock, {
      'POST /api/auth/refresh': () =>
        jsonResponse({ statusCode: 401, code: 'auth/unauthorized', message: 'x' }, 401),
    });
    const fresh = useAgentSessionStore();
    await expect(fresh.restore()).resolves.toBe(false);
    expect(fresh.status).toBe('ready');
    expect(fresh.signedIn).toBe(false);
  });

  it('says when the server could not be reached while restoring, without throwing', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const sut = useAgentSessionStore();

    await expect(sut.restore()).resolves.toBe(false);
    expect(sut.status).toBe('error');
    expect(sut.error?.code).toBe('client/network_error');
  });

  it('refreshes the token a minute before it expires', async () => {
    vi.useFakeTimers();
    let refreshes = 0;
    routeFetch(fetchMock, {
      'POST /api/auth/login': () => jsonResponse(aSignIn()),
      'POST /api/auth/refresh': () => jsonResponse(aSignIn({ accessToken: `token-${++refreshes + 1}` })),
    });
    const sut = useAgentSessionStore();
    await sut.signIn('grace@example.com', 'pw');

    await vi.advanceTimersByTimeAsync(839_000);
    expect(refreshes).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);

    expect(refreshes).toBe(1);
    expect(sut.accessToken).toBe('token-2');
  });

  it('retries a call once with a refreshed token after a 401', async () => {
    routeFetch(fetchMock, {
      'POST /api/auth/login': () => jsonResponse(aSignIn({ accessToken: 'old' })),
      'POST /api/auth/refresh': () => jsonResponse(aSignIn({ accessToken: 'new' })),
    });
    const sut = useAgentSessionStore();
    await sut.signIn('grace@example.com', 'pw');
    const call = vi.fn(async (token: string) => {
      if (token === 'old') throw new ApiError({ status: 401, code: 'auth/unauthorized', message: 'expired' });
      return `done with ${token}`;
    });

    await expect(sut.authorized(call)).resolves.toBe('done with new');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('ends the session when the refresh is refused, saying why', async () => {
    routeFetch(fetchMock, {
      'POST /api/auth/login': () => jsonResponse(aSignIn()),
      'POST /api/auth/refresh': () =>
        jsonResponse({ statusCode: 401, code: 'auth/unauthorized', message: 'x' }, 401),
    });
    const sut = useAgentSessionStore();
    await sut.signIn('grace@example.com', 'pw');
    const unauthorized = new ApiError({ status: 401, code: 'auth/unauthorized', message: 'expired' });

    await expect(sut.authorized(() => Promise.reject(unauthorized))).rejects.toBe(unauthorized);
    expect(sut.signedIn).toBe(false);
    expect(sut.signedOutReason).toBe('expired');
  });

  it('makes concurrent refreshes share one request (the cookie rotates on each)', async () => {
    let resolve!: (response: Response) => void;
    fetchMock.mockReturnValue(new Promise<Response>((r) => (resolve = r)));
    const sut = useAgentSessionStore();

    const first = sut.refresh();
    const second = sut.refresh();
    resolve(jsonResponse(aSignIn()));

    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('signs out: tells the API, forgets the token', async () => {
    routeFetch(fetchMock, {
      'POST /api/auth/login': () => jsonResponse(aSignIn()),
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
    });
    const sut = useAgentSessionStore();
    await sut.signIn('grace@example.com', 'pw');

    await sut.signOut();

    expect(sut.signedIn).toBe(false);
    expect(sut.accessToken).toBeNull();
    expect(fetchCall(fetchMock, 1).url).toBe('/api/auth/logout');
  });
});
