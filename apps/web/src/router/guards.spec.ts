import type { AgentView, SiteInfo } from '@switchboard/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, type RouteLocationNormalized, type Router } from 'vue-router';

import { anAgent } from '../console/testing/console-builders';
import { useAgentSessionStore } from '../stores/console/session';
import { useSiteStore } from '../stores/site';
import { aSiteInfo, aSiteSandbox, anAgentsOnlySandbox } from '../testing/site-info';
import {
  requireAdmin,
  requireAgent,
  requireSandboxPart,
  safeRedirect,
  skipSignInWhenSignedIn,
} from './guards';

describe(safeRedirect.name, () => {
  it.each([
    ['/agent/tickets/12', '/agent/tickets/12'],
    ['/agent?x=1', '/agent?x=1'],
    ['/agent', '/agent'],
    ['/agentx', '/agent'],
    ['/agent/login', '/agent'],
    ['https://evil.example/agent', '/agent'],
    ['//evil.example/agent', '/agent'],
    [undefined, '/agent'],
    [['/agent/tickets/3'], '/agent/tickets/3'],
    ['/sandbox/mail', '/sandbox/mail'],
    ['/sandbox/phone?x=1', '/sandbox/phone?x=1'],
    ['/sandbox/', '/agent'],
    ['/sandbox//evil.example', '/agent'],
    ['/sandboxes', '/agent'],
  ])('%j → %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});

describe('guards', () => {
  let router: Router;
  const restore = vi.fn<() => Promise<boolean>>();

  beforeEach(() => {
    setActivePinia(createPinia());
    restore.mockReset().mockResolvedValue(false);
    vi.spyOn(useAgentSessionStore(), 'restore').mockImplementation(restore);
    router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:pathMatch(.*)*', component: { render: () => null } }],
    });
  });

  /** Where navigating to `path` would end: `true` to stay, else the location the guard sends to. */
  const at = (path: string) => router.resolve(path) as RouteLocationNormalized;

  function signIn(role: AgentView['role'] = 'agent'): void {
    const session = useAgentSessionStore();
    session.agent = anAgent({ role });
    session.accessToken = 'tok-1';
  }

  function siteWith(sandbox: SiteInfo['sandbox']): void {
    const site = useSiteStore();
    site.site = aSiteInfo({ sandbox });
    site.status = 'ready';
  }

  describe(requireAgent.name, () => {
    it('lets a signed-in agent in', async () => {
      signIn();
      await expect(requireAgent(at('/agent/tickets/3'))).resolves.toBe(true);
      expect(restore).not.toHaveBeenCalled();
    });

    it('lets in an agent whose session the refresh cookie restores', async () => {
      restore.mockResolvedValue(true);
      await expect(requireAgent(at('/agent'))).resolves.toBe(true);
    });

    it('sends anyone else to sign in, and back here afterwards', async () => {
      await expect(requireAgent(at('/agent/tickets/3?x=1'))).resolves.toEqual({
        name: 'agent-login',
        query: { redirect: '/agent/tickets/3?x=1' },
      });
    });
  });

  describe(skipSignInWhenSignedIn.name, () => {
    it('shows the sign-in page to someone without a session', async () => {
      await expect(skipSignInWhenSignedIn(at('/agent/login'))).resolves.toBe(true);
    });

    it('takes a restored agent where they were headed, if that is a console page', async () => {
      restore.mockResolvedValue(true);
      await expect(skipSignInWhenSignedIn(at('/agent/login?redirect=/agent/team'))).resolves.toBe(
        '/agent/team',
      );
      await expect(skipSignInWhenSignedIn(at('/agent/login?redirect=https://evil.example'))).resolves.toBe(
        '/agent',
      );
    });
  });

  describe(requireAdmin.name, () => {
    it('lets admins in and sends agents to the inbox', () => {
      signIn('admin');
      expect(requireAdmin()).toBe(true);
      signIn('agent');
      expect(requireAdmin()).toEqual({ name: 'agent-inbox', replace: true });
    });
  });

  describe(requireSandboxPart.name, () => {
    it('opens the page of a part the sandbox has, to anyone outside production', async () => {
      siteWith(aSiteSandbox());
      await expect(requireSandboxPart('phone', at('/sandbox/phone'))).resolves.toBe(true);
      expect(restore).not.toHaveBeenCalled();
    });

    it('shows the not-found page under the same address for a part it lacks, or without a sandbox', async () => {
      siteWith(aSiteSandbox({ mailbox: false }));
      const notFound = {
        name: 'not-found',
        params: { pathMatch: ['sandbox', 'mail'] },
        query: { x: '1' },
        hash: '',
        replace: true,
      };
      await expect(requireSandboxPart('mailbox', at('/sandbox/mail?x=1'))).resolves.toEqual(notFound);
      siteWith(null);
      await expect(requireSandboxPart('mailbox', at('/sandbox/mail?x=1'))).resolves.toEqual(notFound);
    });

    it('in production, needs an agent: restored from the cookie, or signed in and back', async () => {
      siteWith(anAgentsOnlySandbox());
      await expect(requireSandboxPart('shop', at('/sandbox/shop'))).resolves.toEqual({
        name: 'agent-login',
        query: { redirect: '/sandbox/shop' },
      });
      restore.mockResolvedValue(true);
      await expect(requireSandboxPart('shop', at('/sandbox/shop'))).resolves.toBe(true);
    });

    it('opens the page, to show its own error, when the site cannot be loaded', async () => {
      const site = useSiteStore();
      site.status = 'error';
      await expect(requireSandboxPart('phone', at('/sandbox/phone'))).resolves.toBe(true);
    });
  });
});
