import type { SiteSandbox } from '@switchboard/contracts';
import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';

import { useAgentSessionStore } from '../stores/console/session';
import { useSiteStore } from '../stores/site';

/**
 * Every route guard of the app. Routes use them through `lazy-guards.ts`, so this module (and the
 * agent's session store it needs) loads only with the first page that has a guard.
 */

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
  return signInAndComeBack(to);
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

/** A sandbox page and the part of the sandbox it needs. */
export type SandboxPart = keyof Pick<SiteSandbox, 'phone' | 'mailbox' | 'shop'>;

/**
 * A sandbox page exists only while its part of the sandbox does (the phone without an SMS provider,
 * the mailbox and the shop without an email provider); otherwise the not-found page shows under the
 * same URL. In production (`agentsOnly`) a signed-in agent is needed: the session is restored from the
 * refresh cookie, else the agent signs in and comes back. When the site cannot be loaded, the page
 * opens and shows its own error.
 */
export async function requireSandboxPart(
  part: SandboxPart,
  to: RouteLocationNormalized,
): Promise<true | RouteLocationRaw> {
  const siteStore = useSiteStore();
  await siteStore.ensureLoaded();
  if (siteStore.status !== 'ready') return true;
  const sandbox = siteStore.site?.sandbox;
  if (!sandbox?.[part]) return notFoundAt(to);
  if (!sandbox.agentsOnly) return true;
  return requireAgent(to);
}

/** The catch-all route under the URL that was asked for, so the address bar keeps it. */
export function notFoundAt(to: RouteLocationNormalized): RouteLocationRaw {
  return {
    name: 'not-found',
    params: { pathMatch: to.path.slice(1).split('/') },
    query: to.query,
    hash: to.hash,
    replace: true,
  };
}

function signInAndComeBack(to: RouteLocationNormalized): RouteLocationRaw {
  return { name: 'agent-login', query: { redirect: to.fullPath } };
}
