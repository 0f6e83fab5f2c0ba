import type { TicketStatus, TicketSummary } from '@switchboard/contracts';
import type { InboxCursor } from './inbox-cursor';

/** What the console asks of the inbox: the filters of a list, or of a search. */
export interface InboxFilters {
  status?: TicketStatus | 'unresolved';
  channel?: 'sms' | 'chat';
  /** An agent id, 'me' resolved by the caller, or 'none'. */
  assignee?: string;
  search?: string;
  /** Only this ticket, if it matches the rest: how a list learns where a changed ticket now belongs. */
  ticketId?: string;
  /** Where the page starts; without one, the first page (or `page`, the older offset pagination). */
  cursor?: InboxCursor;
  page?: number;
  pageSize: number;
}

export interface InboxPage {
  items: TicketSummary[];
  /** Exact up to COUNT_LIMIT; past it `totalExact` is false and the console shows "1,000+". */
  total: number;
  totalExact: boolean;
  nextCursor: string | null;
}

/** Counting stops here: past it a count costs as much as the history is long, and says no more. */
export const COUNT_LIMIT = 1000;

/** The filters but the search, as SQL conditions over `t` (tickets), and their parameters. */
export function matching(filters: InboxFilters): { conditions: string[]; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  // Each unresolved status also says `<> 'resolved'`, so the planner can use the unresolved indexes.
  if (filters.status === 'unresolved') conditions.push(`t.status <> 'resolved'`);
  else if (filters.status === 'resolved') conditions.push(`t.status = 'resolved'`);
  else if (filters.status) conditions.push(`t.status <> 'resolved' AND t.status = ${param(filters.status)}`);
  if (filters.channel) conditions.push(`t.channel = ${param(filters.channel)}`);
  if (filters.assignee === 'none') conditions.push('t.assignee_id IS NULL');
  else if (filters.assignee) conditions.push(`t.assignee_id = ${param(filters.assignee)}::bigint`);
  if (filters.ticketId) conditions.push(`t.id = ${param(filters.ticketId)}::bigint`);
  return { conditions, params };
}
