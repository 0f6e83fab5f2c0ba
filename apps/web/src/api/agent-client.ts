import type {
  AgentAvailability,
  AgentUpdateRequest,
  AvailabilityUpdate,
  AgentView,
  InboxCounts,
  SignedInResponse,
  ThreadEntry,
  TicketChannel,
  TicketDetail,
  TicketPage,
  TicketReplyRequest,
  TicketStatus,
  TicketUpdateRequest,
} from '@switchboard/contracts';

import { answer, api, auth } from './http';

/**
 * Every call the agent console makes to the API, typed from its OpenAPI document. Signed-in calls take
 * the access token: stores call them through the session store's `authorized`, which supplies it and
 * refreshes it once on a 401.
 */

export function login(email: string, password: string): Promise<SignedInResponse> {
  return answer(api.POST('/api/auth/login', { body: { email, password } }));
}

/** Trades the httpOnly refresh cookie for a new access token (and a rotated cookie). */
export function refreshSession(): Promise<SignedInResponse> {
  return answer(api.POST('/api/auth/refresh'));
}

export async function logout(): Promise<void> {
  await answer(api.POST('/api/auth/logout'));
}

export type StatusFilter = TicketStatus | 'unresolved';
export type ChannelFilter = TicketChannel | 'all';
export type AssigneeFilter = 'anyone' | 'me' | 'none';

export interface TicketQuery {
  status: StatusFilter;
  channel: ChannelFilter;
  assignee: AssigneeFilter;
  /** Free text: customer name, phone, email, message text, or `#<ticket number>`. */
  q: string;
  /** The previous page's `nextCursor`. */
  cursor?: string;
  /** Only this ticket, if it matches the filters. */
  ticket?: string;
  pageSize?: number;
}

export function fetchTickets(
  accessToken: string,
  query: TicketQuery,
  signal?: AbortSignal,
): Promise<TicketPage> {
  const q = query.q.trim();
  return answer(
    api.GET('/api/tickets', {
      ...auth({ accessToken, signal }),
      params: {
        query: {
          status: query.status,
          channel: query.channel === 'all' ? undefined : query.channel,
          assignee: query.assignee === 'anyone' ? undefined : query.assignee,
          q: q === '' ? undefined : q,
          cursor: query.cursor,
          ticket: query.ticket,
          pageSize: query.pageSize,
        },
      },
    }),
  );
}

export function fetchInboxCounts(accessToken: string, signal?: AbortSignal): Promise<InboxCounts> {
  return answer(api.GET('/api/tickets/counts', auth({ accessToken, signal })));
}

export function fetchTicket(
  accessToken: string,
  ticketId: string,
  signal?: AbortSignal,
): Promise<TicketDetail> {
  return answer(
    api.GET('/api/tickets/{id}', { ...auth({ accessToken, signal }), params: { path: { id: ticketId } } }),
  );
}

export function postReply(
  accessToken: string,
  ticketId: string,
  reply: TicketReplyRequest,
): Promise<ThreadEntry> {
  return answer(
    api.POST('/api/tickets/{id}/messages', {
      ...auth({ accessToken }),
      params: { path: { id: ticketId } },
      body: reply,
    }),
  );
}

export function resendSms(accessToken: string, ticketId: string, messageId: string): Promise<ThreadEntry> {
  return answer(
    api.POST('/api/tickets/{id}/messages/{messageId}/resend', {
      ...auth({ accessToken }),
      params: { path: { id: ticketId, messageId } },
    }),
  );
}

export function patchTicket(
  accessToken: string,
  ticketId: string,
  change: TicketUpdateRequest,
): Promise<TicketDetail> {
  return answer(
    api.PATCH('/api/tickets/{id}', {
      ...auth({ accessToken }),
      params: { path: { id: ticketId } },
      body: change,
    }),
  );
}

export async function postRead(accessToken: string, ticketId: string, seq: number): Promise<void> {
  await answer(
    api.POST('/api/tickets/{id}/read', {
      ...auth({ accessToken }),
      params: { path: { id: ticketId } },
      body: { seq },
    }),
  );
}

export function fetchAgents(accessToken: string): Promise<AgentView[]> {
  return answer(api.GET('/api/agents', auth({ accessToken })));
}

/** Admins: disable an agent (ending every session of theirs) or enable them again. */
export function patchAgent(
  accessToken: string,
  agentId: string,
  change: AgentUpdateRequest,
): Promise<AgentView> {
  return answer(
    api.PATCH('/api/agents/{id}', {
      ...auth({ accessToken }),
      params: { path: { id: agentId } },
      body: change,
    }),
  );
}

/** Every chat link sent to the customer stops working, and their open chats end. */
export async function withdrawChatLinks(accessToken: string, customerId: string): Promise<void> {
  await answer(
    api.DELETE('/api/customers/{id}/chat-links', {
      ...auth({ accessToken }),
      params: { path: { id: customerId } },
    }),
  );
}

/** The signed-in agent's availability for SMS alerts: mobile, on duty, quiet hours. */
export function fetchAvailability(accessToken: string): Promise<AgentAvailability> {
  return answer(api.GET('/api/agents/me/availability', auth({ accessToken })));
}

export function patchAvailability(
  accessToken: string,
  change: AvailabilityUpdate,
): Promise<AgentAvailability> {
  return answer(api.PATCH('/api/agents/me/availability', { ...auth({ accessToken }), body: change }));
}

/** Texts a confirmation code to the number; it becomes the agent's mobile once confirmed. */
export function requestMobileCode(accessToken: string, mobile: string): Promise<AgentAvailability> {
  return answer(api.POST('/api/agents/me/mobile', { ...auth({ accessToken }), body: { mobile } }));
}

export function confirmMobile(accessToken: string, code: string): Promise<AgentAvailability> {
  return answer(api.POST('/api/agents/me/mobile/confirm', { ...auth({ accessToken }), body: { code } }));
}

export function removeMobile(accessToken: string): Promise<AgentAvailability> {
  return answer(api.DELETE('/api/agents/me/mobile', auth({ accessToken })));
}
