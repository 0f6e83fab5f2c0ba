import { Injectable } from '@nestjs/common';
import type { InboxCounts, TicketSummary } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { encodeCursor } from './inbox-cursor';
import { COUNT_LIMIT, type InboxFilters, type InboxPage, matching } from './inbox-filters';
import { searchInbox } from './inbox-search';
import { SUMMARY_COLUMNS } from './thread-columns';

/** A ticket's activity key, to the microsecond, as the cursor carries it. */
const SORT_AT = `to_char(t.last_message_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The inbox's lists, newest activity first, and the counts beside them. Each list reads an index in its
 * own order (migration 1763762400000: by the hour of the activity, sorted within each hour by the
 * exact time and id; the same order as time and id alone) and stops at the page: keyset pagination
 * from a cursor, counts that stop at COUNT_LIMIT. So a page costs about the same at a thousand tickets
 * and at a million (`pnpm bench:inbox`, docs/inbox-plans.md). `source`: the primary, or a replica that
 * has caught up with the reader (ReadReplica).
 */
@Injectable()
export class InboxViews {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of a list; with `search`, of the ranked search results (InboxSearch). */
  async list(filters: InboxFilters, source: DataSource = this.dataSource): Promise<InboxPage> {
    if (filters.search) return searchInbox(source, { ...filters, search: filters.search });
    const { conditions, params } = matching(filters);
    const from = 'FROM tickets t';
    const where = (extra: string[]) => {
      const all = [...conditions, ...extra];
      return all.length > 0 ? `WHERE ${all.join(' AND ')}` : '';
    };
    const pageParams = [...params];
    const param = (value: unknown) => `$${pageParams.push(value)}`;
    const cursor = filters.cursor;
    const after: string[] = [];
    if (cursor && 'after' in cursor) {
      const at = `${param(cursor.after.at)}::timestamptz`;
      // The hour bounds the index range; the exact time and id continue within it.
      after.push(
        `t.activity_hour <= date_trunc('hour', ${at}, 'UTC')`,
        `(t.last_message_at, t.id) < (${at}, ${param(cursor.after.id)}::bigint)`,
      );
    }
    const offset =
      cursor && 'offset' in cursor ? cursor.offset : filters.page ? (filters.page - 1) * filters.pageSize : 0;
    // The page's tickets first, by the index and the rows of the hours it reaches; then what each
    // shows. One more than the page says whether another follows.
    const rows = (await source.query(
      `SELECT ${SUMMARY_COLUMNS}, ${SORT_AT} AS "sortAt"
         FROM (SELECT t.* ${from} ${where(after)}
                ORDER BY t.activity_hour DESC, t.last_message_at DESC, t.id DESC
                LIMIT ${param(filters.pageSize + 1)} OFFSET ${param(offset)}) t
         JOIN users c ON c.id = t.customer_id LEFT JOIN users a ON a.id = t.assignee_id
        ORDER BY t.last_message_at DESC, t.id DESC`,
      pageParams,
    )) as (TicketSummary & { sortAt: string })[];
    const more = rows.length > filters.pageSize;
    const page = rows.slice(0, filters.pageSize);
    const last = page.at(-1);
    const [counted] = (await source.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 ${from} ${where([])} LIMIT ${COUNT_LIMIT + 1}) matching`,
      params,
    )) as { n: number }[];
    const n = counted?.n ?? 0;
    return {
      items: page.map(({ sortAt: _sortAt, ...item }) => item),
      total: Math.min(n, COUNT_LIMIT),
      totalExact: n <= COUNT_LIMIT,
      nextCursor: more && last ? encodeCursor({ after: { at: last.sortAt, id: last.id } }) : null,
    };
  }

  /** How many unresolved tickets each view of the console holds (each stops at COUNT_LIMIT). */
  async counts(agentId: string, source: DataSource = this.dataSource): Promise<InboxCounts> {
    const count = (condition: string) =>
      `(SELECT count(*)::int FROM (SELECT 1 FROM tickets t WHERE t.status <> 'resolved' AND ${condition}
                                   LIMIT ${COUNT_LIMIT + 1}) x)`;
    const [row] = (await source.query(
      `SELECT ${count('true')} AS unresolved, ${count('t.assignee_id = $1')} AS mine,
              ${count('t.assignee_id IS NULL')} AS unassigned,
              ${count('t.last_inbound_seq > t.agent_read_seq')} AS unread`,
      [agentId],
    )) as Record<'unresolved' | 'mine' | 'unassigned' | 'unread', number>[];
    const view = (n: number) => ({ count: Math.min(n, COUNT_LIMIT), exact: n <= COUNT_LIMIT });
    return {
      unresolved: view(row!.unresolved),
      mine: view(row!.mine),
      unassigned: view(row!.unassigned),
      unread: view(row!.unread),
    };
  }
}
