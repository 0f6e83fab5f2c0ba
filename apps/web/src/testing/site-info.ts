import type { SiteInfo } from '@switchboard/contracts';

export function aSiteInfo(overrides: Partial<SiteInfo> = {}): SiteInfo {
  return {
    companyName: 'ACME',
    supportNumber: '+447700900000',
    sandbox: false,
    ...overrides,
  };
}
