import type { RouteRecordRaw } from 'vue-router';

/**
 * The sandbox: a phone, a mailbox and a demo shop that stand in for Vonage, Brevo and a real shop, so
 * every flow can be tried without accounts. They exist only when the server runs without real providers;
 * otherwise the guard shows the not-found page (the API answers 404 for them too). Pages load lazily.
 */
export const sandboxRoutes: RouteRecordRaw[] = [
  {
    path: '/sandbox/phone',
    name: 'sandbox-phone',
    component: () => import('./SandboxPhonePage.vue'),
    beforeEnter: async (to) => (await import('./guards')).requireSandbox(to),
  },
  {
    path: '/sandbox/mail',
    name: 'sandbox-mail',
    component: () => import('./SandboxMailPage.vue'),
    beforeEnter: async (to) => (await import('./guards')).requireSandbox(to),
  },
  {
    path: '/sandbox/shop',
    name: 'sandbox-shop',
    component: () => import('./SandboxShopPage.vue'),
    beforeEnter: async (to) => (await import('./guards')).requireSandbox(to),
  },
];
