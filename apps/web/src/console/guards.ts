import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';

import { useAgentSessionStore } from '../stores/console/session';

/**
 * Only console and sandbox paths are followed after sign-in (the sandbox asks agents to sign in in
 * production), so a crafted link cannot send an agent elsewhere.
 */
export function safeRedirect(value: unknown): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (typeof path !== 'string') return '/agent';
  if (/^\/sandbox\/[a-z]+(?:[?#]|$)/.test(path)) return path;
  return /^\/agent(?:[/?#]|$)/.test(path) && !path.startsWith('/agent/login') ? path : '/agent';
}

/** Console pages: restore the session from the refresh cookie first, else sign in and come back. */
export async function requireAgent(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useAgentSessionStore();
  if (session.signedIn || (await session.restore())) return true;
  return { name: 'agent-login', query: { redirect: to.fullPath } };
}

/** The sign-in page skips itself when a session can be restored (a bookmark, the back button). */
export async function skipSignInWhenSignedIn(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useAgentSessionStore();
  if (session.signedIn || (await session.restore())) return safeRedirect(to.query.redirect);
  return true;
}

/** The team page is for admins; anyone else lands in the inbox. Runs after `requireAgent`. */
export function requireAdmin(): true | RouteLocationRaw {
  return useAgentSessionStore().agent?.role === 'admin' ? true : { name: 'agent-inbox', replace: true };
}
