import type { SearchMatch, TicketSummary } from '@switchboard/contracts';
import type { DataSource } from 'typeorm';
import { encodeCursor } from './inbox-cursor';
import { COUNT_LIMIT, type InboxFilters, type InboxPage, matching } from './inbox-filters';
import { searchTerms } from './search-terms';
import { SUMMARY_COLUMNS } from './thread-columns';

/**
 * How many of each kind of hit a search collects before ranking (customers: each brings all their
 * tickets). Bounded, so a word in half of ten million messages costs what a rare one does: the latest
 * matches are read from the GIN index or, for a common word, by walking messages newest first (the
 * planner chooses); past these the total says "1,000+" rather than counting them all. The walk reads
 * about `messages` ÷ (the word's share of all messages) rows, so the bound is what a word in 1% of the
 * history costs (~5 ms for 250 at 10 M messages, `pnpm bench:inbox`): ten pages of ranked tickets.
 */
const LIMITS = { customers: 50, orders: 100, messages: 250 } as const;

/** Texts not indexed yet that a search reads by their text: more than a burst leaves pending. */
const PENDING_READ = 5_000;

/** Markers ts_headline puts around matched words; turned into ranges and removed before answering. */
const START = '\u0002';
const STOP = '\u0003';

type Row = TicketSummary & {
  hitIn: SearchMatch['in'];
  snippet: string | null;
  total: number;
  capped: boolean;
  messagesCapped: boolean;
};

/**
 * The inbox searched: tickets whose number, customer (phone, name, username, email), orders or message
 * text match, filtered like the lists, ranked by what matched (a ticket's or order's number first, then
 * a phone number, an email, a name or an order's items, then message text by relevance and recency),
 * each with the matching excerpt marked. Pages continue at an offset in the ranked set.
 */
export async function searchInbox(
  dataSource: DataSource,
  filters: InboxFilters & { search: string },
): Promise<InboxPage> {
  const terms = searchTerms(filters.search);
  const { conditions, params } = matching({ ...filters, search: undefined });
  const param = (value: unknown) => `$${params.push(value)}`;
  const ticketFilter = conditions.length > 0 ? `AND ${conditions.join(' AND ')}` : '';
  const words = `websearch_to_tsquery('switchboard_search', ${param(terms.text)})`;

  const hits: string[] = [];
  if (terms.number) {
    const number = param(terms.number);
    hits.push(`SELECT id AS ticket_id, 4.0::float8 AS score, 'ticket'::text AS hit_in, NULL::bigint AS message_id, false AS capped
                 FROM tickets WHERE id = ${number}::bigint`);
    hits.push(`SELECT t.id, 2.0::float8, 'order'::text, NULL::bigint, false FROM orders o
                 JOIN tickets t ON t.customer_id = o.customer_id AND t.channel = 'chat' WHERE o.id = ${number}::bigint`);
  }
  // Customers with a ticket the filters allow, so the bound keeps the ones that count.
  const customerFilter = ticketFilter
    ? `AND EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = users.id ${ticketFilter})`
    : '';
  const customers: string[] = [];
  if (terms.phone) {
    const { prefix, suffix } = terms.phone;
    customers.push(`(SELECT id, 3.0::float8 AS score FROM users
                      WHERE role = 'customer' ${customerFilter} AND phone LIKE ${param(`${prefix}%`)} LIMIT ${LIMITS.customers})`);
    if (suffix) {
      customers.push(`(SELECT id, 3.0::float8 AS score FROM users WHERE role = 'customer' ${customerFilter} AND phone IS NOT NULL
                         AND reverse(phone) LIKE ${param(`${[...suffix].reverse().join('')}%`)} LIMIT ${LIMITS.customers})`);
    }
  }
  if (terms.email) {
    customers.push(`(SELECT id, 2.5::float8 AS score FROM users WHERE role = 'customer' ${customerFilter}
                       AND lower(email) LIKE ${param(`${terms.email.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}
                     LIMIT ${LIMITS.customers})`);
  }
  if (terms.namePrefix) {
    customers.push(`(SELECT id, 2.0::float8 AS score FROM users WHERE role = 'customer' ${customerFilter}
                       AND to_tsvector('switchboard_search'::regconfig,
                                       coalesce(name, '') || ' ' || coalesce(username, '') || ' ' || coalesce(email, ''))
                           @@ to_tsquery('switchboard_search', ${param(terms.namePrefix)})
                     LIMIT ${LIMITS.customers})`);
  }
  if (customers.length > 0) {
    hits.push(`SELECT t.id, c.score::float8, 'customer'::text, NULL::bigint, c.capped
                 FROM (SELECT id, max(score) AS score, count(*) OVER () >= ${LIMITS.customers} AS capped
                         FROM (${customers.join(' UNION ALL ')}) found GROUP BY id) c
                 JOIN tickets t ON t.customer_id = c.id`);
  }
  hits.push(`SELECT t.id, 2.0::float8, 'order'::text, NULL::bigint, count(*) OVER () >= ${LIMITS.orders}
               FROM (SELECT DISTINCT order_id
                       FROM (SELECT order_id FROM order_items
                              WHERE to_tsvector('switchboard_search'::regconfig, name) @@ ${words}
                              LIMIT ${LIMITS.orders}) found) i
               JOIN orders o ON o.id = i.order_id
               JOIN tickets t ON t.customer_id = o.customer_id AND t.channel = 'chat'`);
  // The latest matching messages, each scored by relevance divided by 1 + its age in months: a fresh
  // mention ranks above an old one of the same weight. `filtered`: the latest of the tickets the
  // filters allow; else the latest of all, filtered after. PostgreSQL finds the latest matches of any
  // word fast, walking messages newest first or through the GIN index as it sees fit; but with a
  // filter it cannot tell how far back the allowed ones lie, and a word in 1% of messages with
  // `unresolved` took a second (docs/benchmarks.md). So a filtered search first looks among the
  // latest matches of all, and only when those give less than a page, among the allowed ones.
  const messageHits = (filtered: boolean) => {
    const allowed = filtered && ticketFilter;
    const score = (vector: string) =>
      `(ts_rank(${vector}, ${words}) / (1 + extract(epoch FROM now() - m.created_at) / 2592000))::float8`;
    // The indexed vectors (MessageSearchIndexer), newest first; then the texts not indexed yet (a
    // batch at most but under a burst), read by their text so that a message is found at once.
    return `SELECT m.ticket_id, ${score('h.vector')}, 'message'::text, m.id, count(*) OVER () >= ${LIMITS.messages}
       FROM (SELECT s.message_id, s.vector FROM message_search s
               ${allowed ? `JOIN messages fm ON fm.id = s.message_id JOIN tickets t ON t.id = fm.ticket_id` : ''}
              WHERE s.vector @@ ${words} ${allowed ? ticketFilter : ''}
              ORDER BY s.message_id DESC LIMIT ${LIMITS.messages}) h
       JOIN messages m ON m.id = h.message_id
     UNION ALL
     SELECT m.ticket_id, ${score('m.vector')}, 'message'::text, m.id, count(*) OVER () >= ${LIMITS.messages}
       FROM (SELECT pm.id, pm.ticket_id, pm.created_at, v.vector
               FROM (SELECT message_id FROM message_search_pending LIMIT ${PENDING_READ}) p
               JOIN messages pm ON pm.id = p.message_id AND pm.kind = 'text'
               ${allowed ? `JOIN tickets t ON t.id = pm.ticket_id` : ''}
               CROSS JOIN LATERAL (SELECT to_tsvector('switchboard_search', coalesce(pm.body, '')) AS vector) v
              WHERE v.vector @@ ${words} ${allowed ? ticketFilter : ''}
              ORDER BY pm.id DESC LIMIT ${LIMITS.messages}) m`;
  };

  const cursor = filters.cursor && 'offset' in filters.cursor ? filters.cursor : undefined;
  const offset = cursor?.offset ?? 0;
  const fixed = params.length;
  const run = async (filtered: boolean): Promise<Row[]> => {
    params.length = fixed;
    return (await dataSource.query(
      `WITH hits (ticket_id, score, hit_in, message_id, capped) AS (${[...hits, messageHits(filtered)].join(' UNION ALL ')}),
       best AS (
         SELECT DISTINCT ON (ticket_id) ticket_id, score, hit_in, message_id, bool_or(capped) OVER () AS capped,
                bool_or(capped) FILTER (WHERE hit_in = 'message') OVER () AS messages_capped
           FROM hits ORDER BY ticket_id, score DESC, message_id DESC
       ),
       ranked AS (
         SELECT t.*, best.score, best.hit_in, best.message_id, best.capped, best.messages_capped,
                count(*) OVER () AS total
           FROM best JOIN tickets t ON t.id = best.ticket_id
          WHERE true ${ticketFilter}
          ORDER BY best.score DESC, t.last_message_at DESC, t.id DESC
          LIMIT ${param(filters.pageSize + 1)} OFFSET ${param(offset)}
       )
       SELECT ${SUMMARY_COLUMNS}, t.hit_in AS "hitIn", t.total::int AS total, t.capped,
              coalesce(t.messages_capped, false) AS "messagesCapped",
              (SELECT ts_headline('switchboard_search', hit.body, ${words},
                                  ${param(`StartSel=${START}, StopSel=${STOP}, MaxWords=24, MinWords=10, MaxFragments=1`)})
                 FROM messages hit WHERE hit.id = t.message_id) AS snippet
         FROM ranked t JOIN users c ON c.id = t.customer_id LEFT JOIN users a ON a.id = t.assignee_id
        ORDER BY t.score DESC, t.last_message_at DESC, t.id DESC`,
      params,
    )) as Row[];
  };

  // Among the latest matches of all: kept when they fill the page, or were not cut by the bound (then
  // they hold every match); continued so by the cursor.
  let recent = ticketFilter !== '' && (cursor === undefined || cursor.recent === true);
  let rows = await run(!recent);
  if (
    recent &&
    cursor === undefined &&
    rows.length <= filters.pageSize &&
    (rows[0]?.messagesCapped ?? true)
  ) {
    recent = false;
    rows = await run(true);
  }

  const more = rows.length > filters.pageSize;
  const page = rows.slice(0, filters.pageSize);
  const total = rows[0]?.total ?? 0;
  const exact = !(rows[0]?.capped ?? false) && total <= COUNT_LIMIT;
  return {
    items: page.map(({ hitIn, snippet, total: _total, capped: _capped, messagesCapped: _m, ...item }) => ({
      ...item,
      match: { in: hitIn, ...marked(snippet) },
    })),
    total: Math.min(total, COUNT_LIMIT),
    totalExact: exact,
    nextCursor: more
      ? encodeCursor({ offset: offset + filters.pageSize, ...(recent ? { recent } : {}) })
      : null,
  };
}

/** ts_headline's marked excerpt as plain text and the ranges that matched (never HTML). */
export function marked(snippet: string | null): Pick<SearchMatch, 'text' | 'highlights'> {
  if (snippet === null) return { text: null, highlights: [] };
  let text = '';
  const highlights: SearchMatch['highlights'] = [];
  let start = -1;
  for (const char of snippet) {
    if (char === START) start = text.length;
    else if (char === STOP && start >= 0) {
      if (text.length > start) highlights.push({ start, end: text.length });
      start = -1;
    } else text += char;
  }
  return { text, highlights };
}
