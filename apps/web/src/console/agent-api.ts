import type {
  AgentUpdateRequest,
  AgentView,
  SignedInResponse,
  ThreadEntry,
  TicketChannel,
  TicketDetail,
  TicketPage,
  TicketReplyRequest,
  TicketStatus,
  TicketUpdateRequest,
} from '@switchboard/contracts';

import { apiGet, apiSend, type RequestOptions } from '../api/http';

/** The agent console's calls to the API. Signed-in calls take the access token; the session store supplies it. */

export function login(email: string, password: string): Promise<SignedInResponse> {
  return apiSend<SignedInResponse>('POST', '/api/auth/login', { email, password });
}

/** Trades the httpOnly refresh cookie for a new access token (and a rotated cookie). */
export function refreshSession(): Promise<SignedInResponse> {
  return apiSend<SignedInResponse>('POST', '/api/auth/refresh');
}

export function logout(): Promise<void> {
  return apiSend<void>('POST', '/api/auth/logout');
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
  page?: number;
  pageSize?: number;
}

export function ticketSearch(query: TicketQuery): string {
  const search = new URLSearchParams({ status: query.status });
  if (query.channel !== 'all') search.set('channel', query.channel);
  if (query.assignee !== 'anyone') search.set('assignee', query.assignee);
  const q = query.q.trim();
  if (q !== '') search.set('q', q);
  if (query.page !== undefined) search.set('page', String(query.page));
  if (query.pageSize !== undefined) search.set('pageSize', String(query.pageSize));
  return search.toString();
}

const bearer = (accessToken: string, signal?: AbortSignal): RequestOptions =>
  signal ? { accessToken, signal } : { accessToken };

export function fetchTickets(
  accessToken: string,
  query: TicketQuery,
  signal?: AbortSignal,
): Promise<TicketPage> {
  return apiGet<TicketPage>(`/api/tickets?${ticketSearch(query)}`, bearer(accessToken, signal));
}

export function fetchTicket(
  accessToken: string,
  ticketId: string,
  signal?: AbortSignal,
): Promise<TicketDetail> {
  return apiGet<TicketDetail>(`/api/tickets/${encodeURIComponent(ticketId)}`, bearer(accessToken, signal));
}

export function postReply(
  accessToken: string,
  ticketId: string,
  reply: TicketReplyRequest,
): Promise<ThreadEntry> {
  return apiSend<ThreadEntry>('POST', `/api/tickets/${encodeURIComponent(ticketId)}/messages`, reply, {
    accessToken,
  });
}

export function resendSms(accessToken: string, ticketId: string, messageId: string): Promise<ThreadEntry> {
  return apiSend<ThreadEntry>(
    'POST',
    `/api/tickets/${encodeURIComponent(ticketId)}/messages/${encodeURIComponent(messageId)}/resend`,
    undefined,
    { accessToken },
  );
}

export function patchTicket(
  accessToken: string,
  ticketId: string,
  change: TicketUpdateRequest,
): Promise<TicketDetail> {
  return apiSend<TicketDetail>('PATCH', `/api/tickets/${encodeURIComponent(ticketId)}`, change, {
    accessToken,
  });
}

export function postRead(accessToken: string, ticketId: string, seq: number): Promise<void> {
  return apiSend<void>('POST', `/api/tickets/${encodeURIComponent(ticketId)}/read`, { seq }, { accessToken });
}

export function fetchAgents(accessToken: string): Promise<AgentView[]> {
  return apiGet<AgentView[]>('/api/agents', { accessToken });
}

/** Admins: disable an agent (ending every session of theirs) or enable them again. */
export function patchAgent(
  accessToken: string,
  agentId: string,
  change: AgentUpdateRequest,
): Promise<AgentView> {
  return apiSend<AgentView>('PATCH', `/api/agents/${encodeURIComponent(agentId)}`, change, { accessToken });
}

/** Every chat link sent to the customer stops working, and their open chats end. */
export function withdrawChatLinks(accessToken: string, customerId: string): Promise<void> {
  return apiSend<void>('DELETE', `/api/customers/${encodeURIComponent(customerId)}/chat-links`, undefined, {
    accessToken,
  });
}
