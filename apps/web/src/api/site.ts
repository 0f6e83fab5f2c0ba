import type { SiteInfo } from '@switchboard/contracts';

import { ApiError, ClientErrorCode, apiGet } from './http';

export async function fetchSiteInfo(): Promise<SiteInfo> {
  const body = await apiGet<unknown>('/api/site');
  if (!isSiteInfo(body)) {
    throw new ApiError({
      status: 200,
      code: ClientErrorCode.UnexpectedResponse,
      message: 'GET /api/site answered with an unexpected shape.',
    });
  }
  return body;
}

function isSiteInfo(value: unknown): value is SiteInfo {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.companyName === 'string' &&
    (typeof candidate.supportNumber === 'string' || candidate.supportNumber === null) &&
    typeof candidate.sandbox === 'boolean'
  );
}
