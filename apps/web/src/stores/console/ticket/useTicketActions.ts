import type { AgentView, TicketStatus, TicketUpdateRequest } from '@switchboard/contracts';
import { reactive, ref, shallowRef } from 'vue';

import { fetchAgents, patchTicket, resendSms } from '../../../api/agent-client';
import { statusLabels } from '../../../console/ticket-display';
import { toApiError } from '../inbox';
import { useAgentSessionStore } from '../session';
import { useToastStore } from '../toasts';
import { withEntries } from './ticket-thread';
import type { TicketLoading } from './useTicketLoading';

/**
 * What the agent does to the open ticket from its header and thread: set its status, assign it (the
 * menu lists the team), resend a failed SMS. A refusal is a toast; the ticket shows what the API says.
 */
export function useTicketActions(ticket: TicketLoading) {
  const updating = ref<'status' | 'assignee' | null>(null);
  const resending = reactive(new Set<string>());
  const resent = reactive(new Set<string>());
  const agents = shallowRef<AgentView[]>([]);

  /** A real resend: the API queues a new SMS with the failed one's text. */
  async function resend(messageId: string): Promise<void> {
    const id = ticket.ticketId.value;
    if (!id || resending.has(messageId)) return;
    resending.add(messageId);
    try {
      const entry = await useAgentSessionStore().authorized((token) => resendSms(token, id, messageId));
      resent.add(messageId);
      if (ticket.ticketId.value === id) ticket.merge([entry]);
    } catch (failure) {
      useToastStore().show({
        tone: 'error',
        title: 'The SMS was not resent',
        body: toApiError(failure).message,
      });
    } finally {
      resending.delete(messageId);
    }
  }

  async function setStatus(next: TicketStatus): Promise<void> {
    const verb =
      next === 'resolved' ? 'resolve' : next === 'open' ? 'reopen' : `set to ${statusLabels[next]}`;
    await update({ status: next }, 'status', `Could not ${verb} the ticket`);
  }

  async function assign(agentId: string | null): Promise<void> {
    await update(
      { assigneeId: agentId },
      'assignee',
      agentId ? 'Could not assign the ticket' : 'Could not unassign the ticket',
    );
  }

  async function assignToMe(): Promise<void> {
    const me = useAgentSessionStore().agent;
    if (me) await assign(me.id);
  }

  async function update(
    change: TicketUpdateRequest,
    what: 'status' | 'assignee',
    problem: string,
  ): Promise<void> {
    const id = ticket.ticketId.value;
    if (!id || updating.value) return;
    updating.value = what;
    try {
      const updated = await useAgentSessionStore().authorized((token) => patchTicket(token, id, change));
      if (ticket.ticketId.value === id) ticket.detail.value = withEntries(updated, []);
    } catch (failure) {
      const refused = toApiError(failure);
      useToastStore().show({
        tone: 'error',
        title: problem,
        body: refused.fieldError('assigneeId') ?? refused.message,
      });
      // E.g. the agent was disabled meanwhile: the menu should stop offering them.
      if (refused.fieldError('assigneeId')) agents.value = [];
    } finally {
      updating.value = null;
    }
  }

  async function loadAgents(): Promise<void> {
    if (agents.value.length > 0) return;
    try {
      agents.value = await useAgentSessionStore().authorized((token) => fetchAgents(token));
    } catch {
      // The menu still offers "Assign to me" and "Unassign".
    }
  }

  /** An agent was disabled or enabled (the team page): the assignee menu follows without a reload. */
  function agentChanged(changed: AgentView): void {
    if (agents.value.some((agent) => agent.id === changed.id))
      agents.value = agents.value.map((agent) => (agent.id === changed.id ? changed : agent));
  }

  return {
    updating,
    resending,
    resent,
    agents,
    resend,
    setStatus,
    assign,
    assignToMe,
    loadAgents,
    agentChanged,
    reset(): void {
      agents.value = [];
    },
  };
}
