import type { SiteDemoAgent, SiteInfo, SiteSandbox } from '@switchboard/contracts';

import { ApiError, ClientErrorCode, answer, api } from './http';

export async function fetchSiteInfo(): Promise<SiteInfo> {
  const body: unknown = await answer(api.GET('/api/site'));
  if (!isSiteInfo(body)) {
    throw new ApiError({
      status: 200,
      code: ClientErrorCode.UnexpectedResponse,
      message: 'GET /api/site answered with an unexpected shape.',
    });
  }
  return { ...body, demoAgent: body.demoAgent ?? null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isSiteInfo(value: unknown): value is SiteInfo {
  return (
    isRecord(value) &&
    typeof value.companyName === 'string' &&
    (typeof value.supportNumber === 'string' || value.supportNumber === null) &&
    (value.sandbox === null || isSandbox(value.sandbox)) &&
    (value.demoAgent === null || value.demoAgent === undefined || isDemoAgent(value.demoAgent))
  );
}

const SANDBOX_FLAGS = ['phone', 'mailbox', 'shop', 'integrationToken', 'agentsOnly'] as const;

function isSandbox(value: unknown): value is SiteSandbox {
  return isRecord(value) && SANDBOX_FLAGS.every((flag) => typeof value[flag] === 'boolean');
}

function isDemoAgent(value: unknown): value is SiteDemoAgent {
  return (
    isRecord(value) &&
    typeof value.email === 'string' &&
    (value.password === 'start-up-log' || value.password === 'AGENT_PASSWORD')
  );
}
