import type { VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

import { mountConsoleAt } from '../../console/testing/console-app';
import { jsonResponse } from '../../testing/fetch-stub';
import { aDemoAgent, aSandboxSite, aSiteInfo } from '../../testing/site-info';

const byTestId = (id: string) => `[data-testid="${id}"]`;
const noSession = () =>
  jsonResponse({ statusCode: 401, code: 'auth/unauthorized', message: 'Your session has ended' }, 401);

describe('the sign-in page', () => {
  let wrapper: VueWrapper | undefined;

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  async function openWith(site: ReturnType<typeof aSiteInfo>, path = '/agent/login'): Promise<VueWrapper> {
    ({ wrapper } = await mountConsoleAt(path, {
      'GET /api/site': () => jsonResponse(site),
      'POST /api/auth/refresh': noSession,
    }));
    return wrapper;
  }

  it("tells a newcomer the demo agent's email, fills it in, and where its password is", async () => {
    const page = await openWith(aSandboxSite({ demoAgent: aDemoAgent({ email: 'demo@example.com' }) }));

    const hint = page.get(byTestId('demo-agent-hint'));
    expect(hint.get(byTestId('demo-agent-email')).text()).toBe('demo@example.com');
    expect(hint.get(byTestId('demo-agent-password')).text()).toContain(
      'printed in the start-up log the first time Switchboard started',
    );
    expect(hint.get(byTestId('demo-agent-reset')).text()).toContain(
      'AGENT_PASSWORD=<new password, 10+ characters>',
    );

    await hint.get(byTestId('demo-agent-use')).trigger('click');

    expect((page.get(byTestId('login-email')).element as HTMLInputElement).value).toBe('demo@example.com');
    expect(document.activeElement).toBe(page.get(byTestId('login-password')).element);
  });

  it('points at AGENT_PASSWORD when the demo agent’s password was set there', async () => {
    const page = await openWith(aSandboxSite({ demoAgent: aDemoAgent({ password: 'AGENT_PASSWORD' }) }));

    expect(page.get(byTestId('demo-agent-password')).text()).toContain(
      'the one Switchboard was started with in AGENT_PASSWORD',
    );
  });

  it('says nothing about a demo agent when there is none (production)', async () => {
    const page = await openWith(aSiteInfo({ demoAgent: null }));

    expect(page.find(byTestId('demo-agent-hint')).exists()).toBe(false);
    expect(page.text()).not.toContain('start-up log');
  });

  it('says the session was ended when the server ended it', async () => {
    const page = await openWith(aSiteInfo(), '/agent/login?reason=revoked&redirect=/agent');

    expect(page.get(byTestId('login-notice')).text()).toContain('Your session was ended');
  });

  it('says why when it was sent here from a sandbox page (agents only)', async () => {
    const page = await openWith(aSiteInfo(), '/agent/login?redirect=/sandbox/mail');

    expect(page.get(byTestId('login-notice')).text()).toContain(
      'The sandbox tools on this installation are for signed-in agents',
    );
  });
});
