import type { RouteRecordRaw } from 'vue-router';

import { requireSandboxPart } from '../../router/lazy-guards';

/**
 * The sandbox: a phone, a mailbox and a demo shop that stand in for Vonage, Brevo and a real shop, so
 * every flow can be tried without accounts. Each exists only while its provider is not configured;
 * otherwise the guard (src/router/guards.ts) shows the not-found page (the API answers 404 for its
 * calls too). In production (`SANDBOX=true`) they are for signed-in agents only. Pages load lazily.
 */
export const sandboxRoutes: RouteRecordRaw[] = [
  {
    path: '/sandbox/phone',
    name: 'sandbox-phone',
    component: () => import('./SandboxPhonePage.vue'),
    beforeEnter: requireSandboxPart('phone'),
  },
  {
    path: '/sandbox/mail',
    name: 'sandbox-mail',
    component: () => import('./SandboxMailPage.vue'),
    beforeEnter: requireSandboxPart('mailbox'),
  },
  {
    path: '/sandbox/shop',
    name: 'sandbox-shop',
    component: () => import('./SandboxShopPage.vue'),
    beforeEnter: requireSandboxPart('shop'),
  },
];
