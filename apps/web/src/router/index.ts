import { createRouter, createWebHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';

import LandingPage from '../pages/LandingPage.vue';
import NotFoundPage from '../pages/NotFoundPage.vue';
import { agentRoutes } from '../pages/agent/routes';
import { sandboxRoutes } from '../pages/sandbox/routes';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'landing', component: LandingPage },
  // The link in an order email; the chat and its transport load only for this page.
  { path: '/chat/:conversationId/:orderId', name: 'chat', component: () => import('../pages/ChatPage.vue') },
  ...agentRoutes,
  ...sandboxRoutes,
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage },
];

/** Tests pass `createMemoryHistory()`; the app uses the browser's history. */
export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  return createRouter({ history, routes });
}
