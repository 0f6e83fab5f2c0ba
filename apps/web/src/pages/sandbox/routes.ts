import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router';

import type { SandboxPart } from './guards';

/** The guard loads with the page, so the public pages never carry it. */
const requirePart = (part: SandboxPart) => async (to: RouteLocationNormalized) =>
  (await import('./guards')).requireSandboxPart(part, to);

/**
 * The sandbox: a phone, a mailbox and a demo shop that stand in for Vonage, Brevo and a real shop, so
 * every flow can be tried without accounts. Each exists only while its provider is not configured;
 * otherwise the guard shows the not-found page (the API answers 404 for its calls too). In production
 * (`SANDBOX=true`) they are for signed-in agents only. Pages load lazily.
 */
export const sandboxRoutes: RouteRecordRaw[] = [
  {
    path: '/sandbox/phone',
    name: 'sandbox-phone',
    component: () => import('./SandboxPhonePage.vue'),
    beforeEnter: requirePart('phone'),
  },
  {
    path: '/sandbox/mail',
    name: 'sandbox-mail',
    component: () => import('./SandboxMailPage.vue'),
    beforeEnter: requirePart('mailbox'),
  },
  {
    path: '/sandbox/shop',
    name: 'sandbox-shop',
    component: () => import('./SandboxShopPage.vue'),
    beforeEnter: requirePart('shop'),
  },
];
