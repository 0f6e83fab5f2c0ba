import type { SiteSandbox } from '@switchboard/contracts';
import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';

import { useAgentSessionStore } from '../../stores/console/session';
import { useSiteStore } from '../../stores/site';

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
  const session = useAgentSessionStore();
  if (session.signedIn || (await session.restore())) return true;
  return { name: 'agent-login', query: { redirect: to.fullPath } };
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
