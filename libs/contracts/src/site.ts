/** What the public pages need to know about this installation (`GET /api/site`). */
export interface SiteInfo {
  companyName: string;
  /** The support number in E.164 (`+447700900000`), or null when none is configured. */
  supportNumber: string | null;
  /** True when no real SMS or email provider is configured. */
  sandbox: boolean;
}
