import type { RequestOptions } from '../../api/http';
import { useAgentSessionStore } from '../console/session';
import { useSiteStore } from '../site';

/**
 * Runs a sandbox API call the way this installation wants it: anonymously where nothing in the
 * sandbox is real, or (production with `SANDBOX=true`) as the signed-in agent, through the session
 * store so an expired token is refreshed once and the call tried again.
 */
export function withSandboxAccess<T>(call: (auth: RequestOptions) => Promise<T>): Promise<T> {
  if (!useSiteStore().site?.sandbox?.agentsOnly) return call({});
  return useAgentSessionStore().authorized((accessToken) => call({ accessToken }));
}
