import type { SiteDemoAgent, SiteInfo, SiteSandbox } from '@switchboard/contracts';

/** A real installation by default: no sandbox, no demo agent. */
export function aSiteInfo(overrides: Partial<SiteInfo> = {}): SiteInfo {
  return {
    companyName: 'ACME',
    supportNumber: '+447700900000',
    sandbox: null,
    demoAgent: null,
    ...overrides,
  };
}

/** Every part of the sandbox, open to anyone: a fresh checkout without providers. */
export function aSiteSandbox(overrides: Partial<SiteSandbox> = {}): SiteSandbox {
  return { phone: true, mailbox: true, shop: true, integrationToken: true, agentsOnly: false, ...overrides };
}

/** Production with `SANDBOX=true`: agents only, and no integration token served. */
export function anAgentsOnlySandbox(overrides: Partial<SiteSandbox> = {}): SiteSandbox {
  return aSiteSandbox({ integrationToken: false, agentsOnly: true, ...overrides });
}

/** A fresh checkout: the whole sandbox and the demo agent. */
export function aSandboxSite(overrides: Partial<SiteInfo> = {}): SiteInfo {
  return aSiteInfo({ sandbox: aSiteSandbox(), demoAgent: aDemoAgent(), ...overrides });
}

export function aDemoAgent(overrides: Partial<SiteDemoAgent> = {}): SiteDemoAgent {
  return { email: 'agent@switchboard.local', password: 'start-up-log', ...overrides };
}
