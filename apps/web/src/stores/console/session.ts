import { type AgentView, ErrorCode, type SignedInResponse } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

import { ApiError } from '../../api/http';
import { login, logout, refreshSession } from '../../api/agent-client';
import type { LoadStatus } from '../load-status';

/** Refresh the access token this long before it expires. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;
/** After a refresh that got no answer (offline, server restarting), try again this much later. */
const REFRESH_RETRY_MS = 15_000;
/** Tabs of one browser share the refresh cookie, which rotates on every use: one refresh at a time. */
const REFRESH_LOCK = 'switchboard-agent-refresh';
const SESSION_CHANNEL = 'switchboard-agent-session';

/**
 * Why the agent is looking at the sign-in page, when it was not their choice: the session ran out,
 * they signed out in another tab, or the server ended it (signed out in another window, or disabled).
 */
export type SignedOutReason = 'expired' | 'elsewhere' | 'revoked' | null;

/**
 * The signed-in agent. The access token lives only in memory; the refresh token is an httpOnly cookie
 * the API rotates. A reload restores the session with that cookie; the token is renewed a minute before
 * it expires and whenever a call answers 401.
 */
export const useAgentSessionStore = defineStore('console-session', () => {
  const agent = ref<AgentView | null>(null);
  const accessToken = ref<string | null>(null);
  /** The restore on page load: `ready` once we know whether there is a session. */
  const status = ref<LoadStatus>('idle');
  const error = shallowRef<ApiError | null>(null);
  const signedOutReason = ref<SignedOutReason>(null);
  const signedIn = computed(() => agent.value !== null && accessToken.value !== null);

  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<boolean> | undefined;
  let channel: BroadcastChannel | undefined;

  function accept(response: SignedInResponse): void {
    agent.value = response.agent;
    accessToken.value = response.accessToken;
    signedOutReason.value = null;
    error.value = null;
    status.value = 'ready';
    schedule(Math.max(5_000, response.expiresIn * 1000 - REFRESH_BEFORE_EXPIRY_MS));
    listenToOtherTabs();
  }

  function schedule(delayMs: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), delayMs);
  }

  function clear(reason: SignedOutReason): void {
    clearTimeout(refreshTimer);
    agent.value = null;
    accessToken.value = null;
    signedOutReason.value = reason;
  }

  /** Throws the API's error (wrong credentials, too many tries, offline) for the sign-in form to show. */
  async function signIn(email: string, password: string): Promise<void> {
    accept(await login(email, password));
  }

  /**
   * A new access token from the refresh cookie. True when signed in afterwards; false when the session
   * is over (the cookie was refused). A network failure keeps the current state and retries later.
   */
  function refresh(): Promise<boolean> {
    refreshing ??= withRefreshLock(async () => {
      try {
        accept(await refreshSession());
        return true;
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) {
          if (signedIn.value) clear('expired');
          return false;
        }
        if (signedIn.value) schedule(REFRESH_RETRY_MS);
        throw failure;
      }
    }).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  /** On page load: signed in again from the cookie if there is one. Never throws. */
  async function restore(): Promise<boolean> {
    if (signedIn.value) return true;
    status.value = 'loading';
    error.value = null;
    try {
      const restored = await refresh();
      status.value = 'ready';
      return restored;
    } catch (failure) {
      error.value = failure instanceof ApiError ? failure : null;
      status.value = 'error';
      return false;
    }
  }

  /**
   * Runs a call with the current token; a 401 (the token expired while the tab slept, say) refreshes
   * once and tries again. The agent is signed out when the refresh is refused.
   */
  async function authorized<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = accessToken.value;
    if (!token) throw notSignedIn();
    try {
      return await call(token);
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.status !== 401) throw failure;
      if (!(await refresh())) throw failure;
      return call(accessToken.value!);
    }
  }

  /** The server ended this sign-in (its live socket said so): nothing to refresh, sign in again. */
  function revoked(): void {
    if (signedIn.value) clear('revoked');
  }

  async function signOut(): Promise<void> {
    try {
      await logout();
    } catch {
      // Signed out here either way; the cookie expires on its own.
    }
    clear(null);
    channel?.postMessage('signed-out');
  }

  function listenToOtherTabs(): void {
    if (channel || typeof BroadcastChannel === 'undefined') return;
    channel = new BroadcastChannel(SESSION_CHANNEL);
    channel.onmessage = (event: MessageEvent) => {
      if (event.data === 'signed-out' && signedIn.value) clear('elsewhere');
    };
  }

  return {
    agent,
    accessToken,
    status,
    error,
    signedIn,
    signedOutReason,
    signIn,
    refresh,
    restore,
    authorized,
    revoked,
    signOut,
  };
});

function notSignedIn(): ApiError {
  return new ApiError({ status: 401, code: ErrorCode.Unauthorized, message: 'Sign in to continue.' });
}

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? (locks.request(REFRESH_LOCK, work) as Promise<T>) : work();
}
