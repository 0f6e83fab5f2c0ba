import type { RouteRecordRaw } from 'vue-router';

import { requireAdmin, requireAgent, skipSignInWhenSignedIn } from '../../router/lazy-guards';

/**
 * The agent console. Pages and their guards (src/router/guards.ts) load lazily, so the customer-facing
 * pages never carry the console. Console pages restore the session from the refresh cookie (a reload
 * keeps the agent signed in), else go to the sign-in page, which brings the agent back to where they
 * were headed.
 */
export const agentRoutes: RouteRecordRaw[] = [
  {
    path: '/agent/login',
    name: 'agent-login',
    component: () => import('./AgentLoginPage.vue'),
    beforeEnter: skipSignInWhenSignedIn,
  },
  {
    path: '/agent',
    component: () => import('./AgentConsolePage.vue'),
    beforeEnter: requireAgent,
    children: [
      { path: '', name: 'agent-inbox', component: () => import('./AgentNoTicketSelected.vue') },
      {
        path: 'tickets/:ticketId(\\d+)',
        name: 'agent-ticket',
        component: () => import('./AgentTicketPage.vue'),
        props: true,
      },
      { path: 'alerts', name: 'agent-alerts', component: () => import('./AgentAlertsPage.vue') },
      {
        path: 'team',
        name: 'agent-team',
        component: () => import('./AgentTeamPage.vue'),
        beforeEnter: requireAdmin,
      },
    ],
  },
];
