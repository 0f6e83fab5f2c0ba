import { type AgentView, ErrorCode } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { reactive, ref, shallowRef } from 'vue';

import { type ApiError, ClientErrorCode } from '../../api/http';
import { fetchAgents, patchAgent } from '../../api/agent-client';
import type { LoadStatus } from '../load-status';
import { toApiError } from './inbox';
import { useAgentSessionStore } from './session';
import { useTicketStore } from './ticket';
import { useToastStore } from './toasts';

/**
 * The team page (admins): every agent, disabled ones included, and disabling or enabling them. Disabling
 * ends every session of that agent at once (the API closes their consoles); their tickets stay theirs.
 */
export const useTeamStore = defineStore('console-team', () => {
  const status = ref<LoadStatus>('idle');
  const agents = shallowRef<AgentView[]>([]);
  const error = shallowRef<ApiError | null>(null);
  /** Agents whose change is on its way. */
  const changing = reactive(new Set<string>());
  /** Why the last change of an agent failed, by agent id. */
  const problems = reactive(new Map<string, string>());

  let generation = 0;

  async function load(): Promise<void> {
    const current = ++generation;
    if (status.value !== 'ready') status.value = 'loading';
    error.value = null;
    try {
      const loaded = await useAgentSessionStore().authorized((token) => fetchAgents(token));
      if (current !== generation) return;
      agents.value = loaded;
      status.value = 'ready';
    } catch (failure) {
      if (current !== generation) return;
      error.value = toApiError(failure);
      if (status.value !== 'ready') status.value = 'error';
    }
  }

  /** Disables or enables one agent; the outcome shows as a toast, or as a problem beside them. */
  async function setDisabled(agentId: string, disabled: boolean): Promise<boolean> {
    if (changing.has(agentId)) return false;
    changing.add(agentId);
    problems.delete(agentId);
    try {
      const updated = await useAgentSessionStore().authorized((token) =>
        patchAgent(token, agentId, { disabled }),
      );
      agents.value = agents.value.map((agent) => (agent.id === updated.id ? updated : agent));
      useTicketStore().agentChanged(updated);
      useToastStore().show({
        tone: 'success',
        title: `${updated.name} ${disabled ? 'disabled' : 'enabled'}`,
        body: disabled
          ? 'Signed out everywhere; they cannot sign in until an admin enables them again.'
          : 'They can sign in again.',
      });
      return true;
    } catch (failure) {
      const problem = toApiError(failure);
      problems.set(agentId, describe(problem, disabled));
      // Someone else removed or changed them meanwhile: show the team as it is now.
      if (problem.code === ErrorCode.AgentNotFound) void load();
      return false;
    } finally {
      changing.delete(agentId);
    }
  }

  function reset(): void {
    generation += 1;
    status.value = 'idle';
    agents.value = [];
    error.value = null;
    changing.clear();
    problems.clear();
  }

  return { status, agents, error, changing, problems, load, setDisabled, reset };
});

function describe(problem: ApiError, disabling: boolean): string {
  const verb = disabling ? 'disabled' : 'enabled';
  switch (problem.code) {
    case ErrorCode.CannotDisableSelf:
      return 'You cannot disable yourself: ask another admin.';
    case ErrorCode.AgentNotFound:
      return `Not ${verb}: this agent no longer exists.`;
    case ErrorCode.Forbidden:
      return `Not ${verb}: only admins can disable or enable agents.`;
    case ClientErrorCode.Network:
      return `Not ${verb}: no connection to the server. Try again.`;
    default:
      return `Not ${verb}: ${problem.errorId ? `${problem.message} (error ${problem.errorId})` : problem.message}`;
  }
}
