import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';

import type { SandboxPart } from './guards';

type Guarded = Promise<true | RouteLocationRaw>;

const guards = () => import('./guards');

/**
 * The guards of `guards.ts` as routes name them in `beforeEnter`. Each loads that module on first use,
 * so the landing and chat pages never carry the console's session store.
 */
export const requireAgent = async (to: RouteLocationNormalized): Guarded => (await guards()).requireAgent(to);

export const requireAdmin = async (): Guarded => (await guards()).requireAdmin();

export const skipSignInWhenSignedIn = async (to: RouteLocationNormalized): Guarded =>
  (await guards()).skipSignInWhenSignedIn(to);

export const requireSandboxPart =
  (part: SandboxPart) =>
  async (to: RouteLocationNormalized): Guarded =>
    (await guards()).requireSandboxPart(part, to);
