import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';

import { useSiteStore } from '../../stores/site';

/**
 * Sandbox pages exist only in sandbox mode. When the server says it runs real providers, the not-found
 * page shows under the same URL. When the site cannot be loaded, the page opens and shows its own error.
 */
export async function requireSandbox(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const siteStore = useSiteStore();
  await siteStore.ensureLoaded();
  if (siteStore.status !== 'ready' || siteStore.site?.sandbox) return true;
  return notFoundAt(to);
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
