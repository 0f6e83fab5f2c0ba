import type { RouteRecordRaw } from 'vue-router';

/**
 * The agent console. Pages and their guards load lazily, so the customer-facing pages never carry the
 * console. Console pages restore the session from the refresh cookie (a reload keeps the agent signed
 * in), else go to the sign-in page, which brings the agent back to where they were headed.
 */
export const agentRoutes: RouteRecordRaw[] = [
  {
    path: '/agent/login',
    name: 'agent-login',
    component: () => import('./AgentLoginPage.vue'),
    beforeEnter: async (to) => (await import('../../console/guards')).skipSignInWhenSignedIn(to),
  },
  {
    path: '/agent',
    component: () => import('./AgentConsolePage.vue'),
    beforeEnter: async (to) => (await import('../../console/guards')).requireAgent(to),
    children: [
      { path: '', name: 'agent-inbox', component: () => import('./AgentNoTicketSelected.vue') },
      {
        path: 'tickets/:ticketId(\\d+)',
        name: 'agent-ticket',
        component: () => import('./AgentTicketPage.vue'),
        props: true,
      },
      {
        path: 'team',
        name: 'agent-team',
        component: () => import('./AgentTeamPage.vue'),
        beforeEnter: async () => (await import('../../console/guards')).requireAdmin(),
      },
    ],
  },
];
