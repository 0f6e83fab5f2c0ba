import { createRouter, createWebHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';

import LandingPage from './pages/LandingPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'landing', component: LandingPage },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage },
];

/** Tests pass `createMemoryHistory()`; the app uses the browser's history. */
export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  return createRouter({ history, routes });
}
