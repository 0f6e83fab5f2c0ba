// What bench/inbox.mjs (and bench/inbox-plans.mjs) request: every inbox view and search an agent
// makes, with the values to search for taken from the desk itself, and what a right answer holds.
import { ORDER_ONLY_PRODUCTS, RARE_WORDS } from './inbox-data.mjs';
import { sql } from './support.mjs';

/**
 * Values the views need, read from the desk with cheap queries: the signed-in agent and another,
 * an unresolved SMS ticket of a UK customer (phone searches, `#number`, a recent ticket to open), an
 * unresolved ticket of a named customer (name searches), an unresolved chat with an order (order
 * searches), and the oldest long thread.
 */
export async function fixtures(databaseUrl) {
  const [staff, [phone], [named], [order], [long]] = await Promise.all([
    // users.id: a bare `id` would sort the text column of the same name ('10' before '2').
    sql(
      databaseUrl,
      `SELECT id::text, role, name FROM users WHERE role IN ('agent', 'admin') ORDER BY users.id`,
    ),
    sql(
      databaseUrl,
      `SELECT t.id::text AS ticket, u.phone FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.status <> 'resolved' AND t.channel = 'sms' AND u.phone LIKE '+44%' ORDER BY t.id LIMIT 1`,
    ),
    sql(
      databaseUrl,
      `SELECT t.id::text AS ticket, u.name FROM tickets t JOIN users u ON u.id = t.customer_id
        WHERE t.status <> 'resolved' AND u.name IS NOT NULL ORDER BY u.name NOT LIKE 'José %', t.id LIMIT 1`,
    ),
    sql(
      databaseUrl,
      `SELECT t.id::text AS ticket, t.order_id::text AS "order" FROM tickets t
        WHERE t.status <> 'resolved' AND t.channel = 'chat' AND t.order_id IS NOT NULL ORDER BY t.id LIMIT 1`,
    ),
    sql(databaseUrl, `SELECT id::text AS ticket FROM tickets WHERE last_seq >= 2000 ORDER BY id LIMIT 1`),
  ]);
  const agents = staff.filter((user) => user.role === 'agent');
  if (!phone || !named || !order || !long || agents.length < 2)
    throw new Error('the desk lacks a ticket the views need (generate it again with --regenerate)');
  return { me: agents[0], other: agents[1], phone, named, order, long };
}

/** +447812345678 → 07812 345678 (as a UK customer would type it), +44 7812 345678. */
const national = (phone) => `0${phone.slice(3, 7)} ${phone.slice(7)}`;
const spaced = (phone) => `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;

// Checks of an answer: each returns a problem (a string) or nothing.
const hasTicket = (id) => (page) =>
  page.items.some((item) => item.id === id) ? undefined : `ticket ${id} is not on the first page`;
const nonEmpty = (page) => (page.items.length > 0 ? undefined : 'no items, though the desk has matches');
const every = (what, test) => (page) => {
  const wrong = page.items.filter((item) => !test(item));
  return wrong.length === 0 ? undefined : `${wrong.length} item(s) not ${what} (e.g. ticket ${wrong[0].id})`;
};
const named = (text) => (page) =>
  page.items.some((item) => item.customer?.name?.toLowerCase().includes(text.toLowerCase()))
    ? undefined
    : `no customer named "${text}" on the first page`;

/**
 * Every view: a name, the request (path and query), and checks of the answer. `allStatus` is how this
 * API asks for every status (`status=all`, or no status where `all` is refused and is the default).
 */
export function views(f, { allStatus }) {
  const isStatus = (s) =>
    every(`status ${s}`, (item) => (s === 'unresolved' ? item.status !== 'resolved' : item.status === s));
  const list = (name, query, ...checks) => ({ name, kind: 'list', path: '/api/tickets', query, checks });
  const unresolved = { status: 'unresolved' };
  const v = [
    list('default (no filter)', {}, nonEmpty),
    ...['open', 'pending', 'resolved', 'unresolved'].map((s) =>
      list(`status=${s}`, { status: s }, nonEmpty, isStatus(s)),
    ),
    list('status=all', allStatus, nonEmpty),
    ...['sms', 'chat'].map((c) =>
      list(
        `channel=${c}`,
        { ...allStatus, channel: c },
        nonEmpty,
        every(c, (item) => item.channel === c),
      ),
    ),
    list(
      'assignee=me',
      { ...allStatus, assignee: 'me' },
      nonEmpty,
      every('mine', (item) => item.assignee?.id === f.me.id),
    ),
    list(
      'assignee=none',
      { ...allStatus, assignee: 'none' },
      nonEmpty,
      every('unassigned', (item) => item.assignee === null),
    ),
    list(
      'assignee=<another agent>',
      { ...allStatus, assignee: f.other.id },
      nonEmpty,
      every("the other agent's", (item) => item.assignee?.id === f.other.id),
    ),
    list('unresolved + me', { ...unresolved, assignee: 'me' }, isStatus('unresolved')),
    list(
      'unresolved + none + sms',
      { ...unresolved, assignee: 'none', channel: 'sms' },
      isStatus('unresolved'),
    ),
    list('resolved + chat', { status: 'resolved', channel: 'chat' }, nonEmpty, isStatus('resolved')),
    list('unresolved, pageSize=50', { ...unresolved, pageSize: '50' }, nonEmpty),
    list('all, pageSize=50', { ...allStatus, pageSize: '50' }, nonEmpty),
    {
      name: 'all, 50th page by cursor',
      kind: 'cursor',
      path: '/api/tickets',
      query: allStatus,
      checks: [nonEmpty],
    },
    list('all, page=50', { ...allStatus, page: '50' }, nonEmpty),
    { name: 'counts', kind: 'counts', path: '/api/tickets/counts', query: {}, checks: [] },
  ];
  const p = f.phone.phone;
  const searches = [
    ['phone, E.164', p, [hasTicket(f.phone.ticket)]],
    ['phone, national format', national(p), [hasTicket(f.phone.ticket)]],
    ['phone, spaced', spaced(p), [hasTicket(f.phone.ticket)]],
    ['phone prefix', p.slice(0, 9), [nonEmpty]],
    ['name, full', f.named.name, [named(f.named.name)]],
    ['name, prefix', f.named.name.slice(0, f.named.name.indexOf(' ') + 3), [nonEmpty]],
    ['#ticket number', `#${f.phone.ticket}`, [hasTicket(f.phone.ticket)]],
    ['common word', 'refund', [nonEmpty]],
    ['rare word', RARE_WORDS[0], [nonEmpty]],
    ['phrase in quotes', '"tracking number"', [nonEmpty]],
    ['name without accent', 'jose', [named('José')]],
    ['word without accent', 'cafe', [nonEmpty]],
    ['order id', f.order.order, [hasTicket(f.order.ticket)]],
    ['order item', ORDER_ONLY_PRODUCTS[0][0], [nonEmpty]],
  ];
  for (const [name, q, checks] of searches) {
    v.push(list(`search: ${name}`, { ...allStatus, q }, ...checks));
    // The fixtures' tickets are unresolved; the rare word and the order-only product may not be.
    const kept = [
      'rare word',
      'order item',
      'common word',
      'phrase in quotes',
      'word without accent',
    ].includes(name)
      ? []
      : checks;
    v.push(list(`search: ${name} + unresolved`, { ...unresolved, q }, ...kept, isStatus('unresolved')));
  }
  v.push(
    {
      name: 'open a recent ticket',
      kind: 'detail',
      path: `/api/tickets/${f.phone.ticket}`,
      query: {},
      checks: [],
    },
    {
      name: 'open a 2,000-message ticket',
      kind: 'detail',
      path: `/api/tickets/${f.long.ticket}`,
      query: {},
      checks: [],
    },
  );
  return v;
}

export const queryString = (query) => {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : '';
};
