import { type InboxFilters, sharedConditions } from './inbox-filters';

/** Where a list continues: after this activity (to the microsecond) and id, newest first. */
export interface InboxAfter {
  at: string;
  id: string;
}

/**
 * The tickets of a list in its order, as `(id, at)` rows newest first, from the two indexed sources of
 * the activity order (migration 1763762400000): `ticket_queue` for unresolved tickets and
 * `tickets.resolved_activity_at` for resolved ones. A list of every status reads both; PostgreSQL merges
 * the two index scans (Merge Append), so a page reads about a page of each. `param` adds a parameter to
 * the caller's query and returns its placeholder.
 */
export function orderedTickets(
  filters: InboxFilters,
  after: InboxAfter | undefined,
  param: (value: unknown) => string,
): string {
  const branches: string[] = [];
  if (filters.status !== 'resolved') {
    branches.push(
      source(
        'SELECT q.ticket_id AS id, q.last_message_at AS at FROM ticket_queue q',
        { id: 'q.ticket_id', at: 'q.last_message_at', table: 'q' },
        filters.status && filters.status !== 'unresolved' ? [`q.status = ${param(filters.status)}`] : [],
        filters,
        after,
        param,
      ),
    );
  }
  if (!filters.status || filters.status === 'resolved') {
    branches.push(
      source(
        'SELECT t.id, t.resolved_activity_at AS at FROM tickets t',
        { id: 't.id', at: 't.resolved_activity_at', table: 't' },
        ['t.resolved_activity_at IS NOT NULL'],
        filters,
        after,
        param,
      ),
    );
  }
  return branches.join(' UNION ALL ');
}

function source(
  select: string,
  columns: { id: string; at: string; table: string },
  conditions: string[],
  filters: InboxFilters,
  after: InboxAfter | undefined,
  param: (value: unknown) => string,
): string {
  const where = [...conditions, ...sharedConditions(filters, columns, param)];
  if (after) {
    where.push(
      `(${columns.at}, ${columns.id}) < (${param(after.at)}::timestamptz, ${param(after.id)}::bigint)`,
    );
  }
  return where.length > 0 ? `${select} WHERE ${where.join(' AND ')}` : select;
}
