/** The sandbox's parts on this installation: stand-ins for the providers that are not configured. */
export interface SiteSandbox {
  /** The phone simulator (`/sandbox/phone`): SMS go to the sandbox provider. */
  phone: boolean;
  /** The mailbox (`/sandbox/mail`): email goes to the sandbox provider. */
  mailbox: boolean;
  /** The demo shop (`/sandbox/shop`), whose orders' emails land in the mailbox. */
  shop: boolean;
  /** The shop may fetch the integration token itself; never in production, where it is pasted in. */
  integrationToken: boolean;
  /** Production with `SANDBOX=true`: every sandbox page and call needs a signed-in agent. */
  agentsOnly: boolean;
}

/** Outside production: how a newcomer signs in to the console as the demo agent. */
export interface SiteDemoAgent {
  email: string;
  /** Where the password comes from: printed in the start-up log when generated, or `AGENT_PASSWORD`. */
  password: 'start-up-log' | 'AGENT_PASSWORD';
}

/** What the public pages need to know about this installation (`GET /api/site`). */
export interface SiteInfo {
  companyName: string;
  /** The support number in E.164 (`+447700900000`), or null when none is configured. */
  supportNumber: string | null;
  /** Null when every provider is real (always, in production without `SANDBOX=true`). */
  sandbox: SiteSandbox | null;
  /** Null in production, and when no demo agent exists. */
  demoAgent: SiteDemoAgent | null;
}
