// Fills a migrated, empty Switchboard database with a busy desk's history, set-based in PostgreSQL:
// at scale 1, 200,000 customers, 12 agents, 1,000,000 tickets and ~10,000,000 messages over three
// years, ~2% unresolved. Reproducible: every random choice is a hash of a row's key and the seed
// (`hashint8extended`), never `random()`, so the two sessions that load halves in parallel draw the
// same numbers a single one would. What it keeps true, and why each step is done this way:
// docs/benchmarks.md ("Inbox at scale").
import pg from 'pg';
import {
  AGENTS,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  ORDER_ONLY_PRODUCTS,
  PRODUCTS,
} from './inbox-data.mjs';
import { RARE_WORDS, textPools } from './inbox-data.mjs';

/** Bump when the generated data changes: cached desks of another version are generated again. */
export const GENERATOR_VERSION = 2;
/** The history ends here (fixed, so a seed gives the same desk on any day) and starts 3 years earlier. */
export const HISTORY_END = '2026-12-01T00:00:00Z';
/** Every long thread has this many messages; the first of them holds the one message with RARE_WORDS[0]. */
export const LONG_THREAD = 2000;
/** Our virtual number, as the inbound webhook's `to` gives it (the sandbox's). */
const SUPPORT_NUMBER = '447700900000';
const CONFIRMATION = [
  'Dear customer, your support request has been registered. Your ticket number is ',
  '. We intend to get back to any support requests within 24h.',
];
// Texts are keyed pool * 100000 + index (see textPools).
const POOL = { open: 1, customer: 2, agent: 3, rare: 4 };
const TABLES = ['users', 'tickets', 'messages', 'message_search', 'orders', 'order_items'];

export function sizesFor(scale) {
  return {
    customers: Math.round(200_000 * scale),
    tickets: Math.round(1_000_000 * scale),
    messages: Math.round(10_000_000 * scale),
    longThreads: Math.max(1, Math.round(5 * scale)),
    agents: AGENTS.length,
  };
}

const literal = (text) => `'${String(text).replace(/'/g, "''")}'`;

/**
 * Generates the desk into the database at `url` (the API's migrations applied, its tables empty of
 * customers and tickets). `log(message)` reports progress; returns the steps' timings and the counts.
 */
export async function generateDesk(url, { scale, seed, log }) {
  const size = sizesFor(scale);
  const SEED = Number(seed);
  const a = new pg.Client({ connectionString: url });
  const b = new pg.Client({ connectionString: url });
  await a.connect();
  await b.connect();
  // A session ended under it (Ctrl-C stops the server) fails its query; without a listener, an idle
  // one's error would crash the process instead of unwinding into the cleanup.
  for (const client of [a, b]) client.on('error', () => undefined);
  const timings = {};
  const step = async (name, work) => {
    const started = performance.now();
    const result = await work();
    timings[name] = Math.round(performance.now() - started) / 1000;
    log(`generate: ${name} ${timings[name].toFixed(1)} s`);
    return result;
  };
  try {
    for (const client of [a, b]) {
      // Replica mode skips triggers, foreign-key checks included: the seq trigger would number the rows
      // one by one (we number them ourselves), and every key we write points at a row we wrote.
      await client.query(`SET session_replication_role = replica; SET synchronous_commit = off;
        SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'`);
    }
    // One checkpoint cycle for the whole load: no full-page images in the middle, and the VACUUM at
    // the end sets hint bits on pages written since the last checkpoint, which logs no page images.
    // (ALTER SYSTEM refuses to run in the implicit transaction of a multi-statement query.)
    await a.query(`ALTER SYSTEM SET max_wal_size = '32GB'`);
    await a.query(`ALTER SYSTEM SET checkpoint_timeout = '1h'`);
    await a.query('SELECT pg_reload_conf()');

    const one = async (text) => (await a.query(text)).rows[0];
    const existing = await one(`SELECT
        (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM messages)::int AS messages,
        (SELECT COALESCE(max(id), 0) FROM users)::bigint AS users, (SELECT COALESCE(max(id), 0) FROM orders)::bigint AS orders`);
    if (existing.tickets > 0 || existing.messages > 0)
      throw new Error('the database already has tickets: generate into a freshly migrated one');
    const base = { user: Number(existing.users), order: Number(existing.orders) };
    const agentBase = base.user; // agents are base+1..base+12, customers follow
    const customerBase = base.user + AGENTS.length;

    const indexes = await step('drop indexes', () => dropIndexes(a));
    await step('staging', () => staging(a, { SEED, scale }));
    await step('customers and agents', () => customers(a, { size, agentBase, customerBase }));
    const plan = await step('ticket plan', () => ticketPlan(a, { SEED, size, agentBase, base }));
    await step('tickets', () =>
      a.query(`
        INSERT INTO tickets (id, customer_id, channel, status, assignee_id, support_number, created_at, updated_at,
                             resolved_at, last_message_at, order_id, last_seq, customer_read_seq, agent_read_seq)
        OVERRIDING SYSTEM VALUE
        SELECT id, customer_id, channel, status, assignee_id, support_number, created, updated_at,
               resolved_at, last_message_at, order_id, n_msgs, customer_read_seq, agent_read_seq
          FROM bench_gen.plan ORDER BY id`),
    );
    await step('orders', () => orders(a));
    // Two sessions, each the messages of half the tickets (by their message ids), on both cores.
    const middle = plan.messageBase + Math.floor(plan.messages / 2);
    await step('messages (2 sessions)', () =>
      Promise.all([
        messages(a, { SEED, agentBase, where: `p.msg_base < ${middle}` }),
        messages(b, { SEED, agentBase, where: `p.msg_base >= ${middle}` }),
      ]),
    );
    // What the seq trigger keeps as messages arrive (skipped here): the seq of the customer's latest
    // text, where the schema has it (migration 1763762400000), for the unread counts.
    await step('last inbound seq', async () => {
      const column = await one(
        `SELECT count(*)::int AS n FROM information_schema.columns
          WHERE table_name = 'tickets' AND column_name = 'last_inbound_seq'`,
      );
      if (column.n === 0) return;
      await a.query(`
        UPDATE tickets t SET last_inbound_seq = latest.seq
          FROM (SELECT ticket_id, max(seq) AS seq FROM messages
                 WHERE direction = 'in' AND kind = 'text' GROUP BY ticket_id) latest
         WHERE latest.ticket_id = t.id`);
    });
    // What the search indexer does as texts arrive (MessageSearchIndexer), where the schema has its
    // table (migration 1763769600000): a vector per text, on both cores.
    const searchTable = (await one(`SELECT to_regclass('message_search') IS NOT NULL AS present`)).present;
    await step('search vectors (2 sessions)', async () => {
      if (!searchTable) return;
      const fill = (client, where) =>
        client.query(`
          INSERT INTO message_search (message_id, vector)
          SELECT id, to_tsvector('switchboard_search', coalesce(body, '')) FROM messages
           WHERE kind = 'text' AND ${where}`);
      await Promise.all([fill(a, `id < ${middle}`), fill(b, `id >= ${middle}`)]);
    });
    await step('indexes (2 sessions)', () => recreateIndexes([a, b], indexes));
    await step('sequences', () =>
      a.query(
        TABLES.filter((table) => table !== 'order_items' && table !== 'message_search')
          .map(
            (table) =>
              `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}));`,
          )
          .join('\n'),
      ),
    );
    const checks = await step('checks', () => invariants(a));
    await step('drop staging', () => a.query('DROP SCHEMA bench_gen CASCADE'));
    await step('vacuum analyze (2 sessions)', () =>
      Promise.all([
        a.query('VACUUM (ANALYZE) messages'),
        b.query(
          `VACUUM (ANALYZE) users, tickets, orders, order_items${searchTable ? ', message_search' : ''}`,
        ),
      ]),
    );
    await a.query('ALTER SYSTEM RESET max_wal_size');
    await a.query('ALTER SYSTEM RESET checkpoint_timeout');
    await a.query('SELECT pg_reload_conf()');
    await step('checkpoint', () => a.query('CHECKPOINT'));
    const counts = await one(`SELECT
        (SELECT count(*) FROM users WHERE role = 'customer')::int AS customers,
        (SELECT count(*) FROM users WHERE role <> 'customer')::int AS staff,
        (SELECT count(*) FROM tickets)::int AS tickets,
        (SELECT count(*) FROM tickets WHERE status <> 'resolved')::int AS unresolved,
        (SELECT count(*) FROM tickets WHERE status = 'open')::int AS open,
        (SELECT count(*) FROM tickets WHERE status = 'pending')::int AS pending,
        (SELECT count(*) FROM tickets WHERE channel = 'chat')::int AS chat_tickets,
        (SELECT count(*) FROM tickets WHERE assignee_id IS NULL)::int AS unassigned,
        (SELECT count(*) FROM messages)::bigint AS messages,
        (SELECT count(*) FROM orders)::int AS orders,
        (SELECT count(*) FROM order_items)::int AS order_items,
        pg_database_size(current_database()) AS database_bytes,
        pg_total_relation_size('messages') AS messages_bytes,
        pg_total_relation_size('tickets') AS tickets_bytes`);
    return { timings, counts, checks, size };
  } finally {
    await a.end().catch(() => undefined);
    await b.end().catch(() => undefined);
  }
}

/**
 * Drops the loaded tables' indexes that back no constraint (found in the catalog, so indexes that
 * later migrations add are handled too) and returns their definitions. Constraint indexes stay:
 * primary keys and UNIQUE constraints. Unique indexes that are not constraints (one unresolved ticket
 * per customer and channel, one chat per customer, seq per ticket) are re-created after the load, which
 * fails if the data broke them.
 */
async function dropIndexes(client) {
  const { rows } = await client.query(
    `SELECT c.relname AS "table", i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
      ORDER BY c.relname, i.relname`,
    [TABLES],
  );
  for (const row of rows) await client.query(`DROP INDEX public.${pg.escapeIdentifier(row.name)}`);
  return rows;
}

/** messages' indexes in one session, the other tables' in the other (the biggest takes longest). */
async function recreateIndexes([a, b], indexes) {
  const run = async (client, list) => {
    for (const index of list) await client.query(index.definition);
  };
  await Promise.all([
    run(
      a,
      indexes.filter((index) => index.table === 'messages'),
    ),
    run(
      b,
      indexes.filter((index) => index.table !== 'messages'),
    ),
  ]);
}

/** Helper functions and the word tables, in a schema dropped at the end. */
async function staging(client, { SEED }) {
  await client.query(`
    CREATE SCHEMA bench_gen;
    -- A uniform number in [0, 1) from a key and a salt; the same in every session.
    CREATE FUNCTION bench_gen.r(k bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN ((hashint8extended(k * 64 + salt, ${SEED}) >> 11) & 9007199254740991)::float8 / 9007199254740992.0;
    -- Message j of n in a ticket that runs from created to ended: the first at created, each later one
    -- in its own slice of the span, so times grow with seq.
    -- (active: when the rest of the thread starts; an unresolved chat's is its last weeks.)
    CREATE FUNCTION bench_gen.msg_time(created timestamptz, active timestamptz, ended timestamptz, n int, j int, tkey bigint)
      RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN j = 1 THEN created
                  ELSE active + (ended - active) * (((j - 1) + 0.9 * bench_gen.r(tkey * 4096 + j, 1)) / (n - 1 + 0.9)) END;
    CREATE FUNCTION bench_gen.money(minor bigint, currency text) RETURNS text LANGUAGE sql IMMUTABLE
      RETURN CASE currency WHEN 'GBP' THEN '£' WHEN 'EUR' THEN '€' ELSE '$' END
             || to_char(minor / 100.0, 'FM999,999,990.00');
    CREATE UNLOGGED TABLE bench_gen.texts (key int PRIMARY KEY, body text NOT NULL);
    CREATE UNLOGGED TABLE bench_gen.firsts (i int PRIMARY KEY, name text, ascii text);
    CREATE UNLOGGED TABLE bench_gen.lasts (i int PRIMARY KEY, name text, ascii text);
    CREATE UNLOGGED TABLE bench_gen.products (i int PRIMARY KEY, name text, price bigint);`);
  const pools = textPools(SEED);
  const keys = [];
  const bodies = [];
  for (const [pool, list] of Object.entries(pools)) {
    list.forEach((body, i) => {
      keys.push(POOL[pool] * 100000 + i);
      bodies.push(body);
    });
  }
  await client.query('INSERT INTO bench_gen.texts SELECT * FROM unnest($1::int[], $2::text[])', [
    keys,
    bodies,
  ]);
  const names = (list) => [list.map((_, i) => i), list.map(([name]) => name), list.map(([, ascii]) => ascii)];
  await client.query(
    'INSERT INTO bench_gen.firsts SELECT * FROM unnest($1::int[], $2::text[], $3::text[])',
    names(FIRST_NAMES),
  );
  await client.query(
    'INSERT INTO bench_gen.lasts SELECT * FROM unnest($1::int[], $2::text[], $3::text[])',
    names(LAST_NAMES),
  );
  const products = [...PRODUCTS, ...ORDER_ONLY_PRODUCTS];
  await client.query(
    'INSERT INTO bench_gen.products SELECT * FROM unnest($1::int[], $2::text[], $3::bigint[])',
    [products.map((_, i) => i), products.map(([name]) => name), products.map(([, price]) => price)],
  );
  return { pools: Object.fromEntries(Object.entries(pools).map(([k, v]) => [k, v.length])) };
}

/**
 * 12 agents (the first an admin) and the customers: 60% shop customers (name, username, email; half
 * of them with a phone too), 40% SMS-only (a phone, nothing else, as the inbound SQL creates them).
 * Phones are E.164, 70% UK mobiles (+4478…), 30% French (+336…), unique by construction: the digits
 * are i·7919 + c mod 10^8, a bijection on i. They avoid the +447700… and +447711… ranges that
 * `bench/sms.mjs` texts from.
 */
async function customers(client, { size, agentBase, customerBase }) {
  await client.query(
    `INSERT INTO users (id, role, name, email, created_at, updated_at) OVERRIDING SYSTEM VALUE
     SELECT ${agentBase} + k, CASE WHEN k = 1 THEN 'admin' ELSE 'agent' END, name,
            lower(replace(name, ' ', '.')) || '@desk.example', ts, ts
       FROM unnest($1::text[]) WITH ORDINALITY AS agent (name, k),
            LATERAL (SELECT timestamptz ${literal(HISTORY_END)} - interval '3 years 30 days' AS ts) t`,
    [AGENTS],
  );
  const nFirst = FIRST_NAMES.length;
  const nLast = LAST_NAMES.length;
  await client.query(`
    CREATE UNLOGGED TABLE bench_gen.cust AS
    SELECT x.*, f.name AS first, f.ascii AS first_ascii, l.name AS last, l.ascii AS last_ascii,
           CASE WHEN has_phone AND uk THEN '+4478' || lpad(((x.i::bigint * 7919 + 12345) % 100000000)::text, 8, '0')
                WHEN has_phone THEN '+336' || lpad(((x.i::bigint * 7919 + 54321) % 100000000)::text, 8, '0') END AS phone
      FROM (
        SELECT i, ${customerBase} + i AS id, shop, uk, NOT shop OR bench_gen.r(i, 2) < 0.5 AS has_phone,
               timestamptz ${literal(HISTORY_END)} - interval '3 years' + interval '3 years' * 0.92 * bench_gen.r(i, 6) AS created_at,
               CASE WHEN uk THEN 'GBP' WHEN bench_gen.r(i, 7) < 0.8 THEN 'EUR' ELSE 'USD' END AS currency,
               bench_gen.r(i, 8) < 0.01 AS opted_out,
               floor(${nFirst} * bench_gen.r(i, 4))::int AS fi, floor(${nLast} * bench_gen.r(i, 5))::int AS li,
               (ARRAY[${EMAIL_DOMAINS.map(literal).join(', ')}])[1 + floor(${EMAIL_DOMAINS.length} * bench_gen.r(i, 9))::int] AS domain
          FROM (SELECT i, bench_gen.r(i, 1) < 0.6 AS shop, bench_gen.r(i, 3) < 0.7 AS uk
                  FROM generate_series(1, ${size.customers}) i) s
      ) x JOIN bench_gen.firsts f ON f.i = x.fi JOIN bench_gen.lasts l ON l.i = x.li;
    -- Staging tables are analysed as they are made: without statistics the planner may nest loops.
    ANALYZE bench_gen.cust;
    INSERT INTO users (id, role, username, name, email, phone, sms_opted_out_at, sms_opt_out_source, created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    SELECT id, 'customer',
           CASE WHEN shop THEN first_ascii || '.' || last_ascii || i END,
           CASE WHEN shop THEN first || ' ' || last END,
           CASE WHEN shop THEN first_ascii || '.' || last_ascii || i || '@' || domain END,
           phone,
           CASE WHEN opted_out AND has_phone THEN created_at + interval '40 days' END,
           CASE WHEN opted_out AND has_phone THEN 'STOP' END,
           created_at, created_at
      FROM bench_gen.cust ORDER BY id;`);
}

/**
 * Every ticket, decided before any row is written: who, which channel, when it ran, its status,
 * assignee, number of messages and orders. Shop customers have their one chat conversation (from
 * their first order on); the SMS tickets go to customers with a phone, a heavy-tailed number each,
 * one after the other in time, only the latest possibly unresolved. ~2% of tickets are unresolved,
 * recent (the last three weeks), 60% open and 40% pending. A few old resolved SMS tickets have long
 * threads (LONG_THREAD messages over 300 days). Ticket ids follow creation time, as the identity column
 * would have given them, and each ticket's messages get a contiguous block of ids in seq order.
 */
async function ticketPlan(client, { SEED, size, agentBase, base }) {
  const one = async (text) => (await client.query(text)).rows[0];
  const { phones, shops } = await one(
    `SELECT count(*) FILTER (WHERE has_phone)::int AS phones, count(*) FILTER (WHERE shop)::int AS shops FROM bench_gen.cust`,
  );
  const smsTickets = Math.max(phones, size.tickets - shops);
  const perPhone = smsTickets / phones;
  // Candidates with a heavy-tailed count per customer, ~20% more than needed, then a seeded sample.
  await client.query(`
    CREATE UNLOGGED TABLE bench_gen.sms_pick AS
    SELECT c.i, c.id AS customer_id, k
      FROM bench_gen.cust c
     CROSS JOIN LATERAL generate_series(1,
       (1 + floor(-ln(1 - bench_gen.r(c.i, 10)) * ${perPhone - 1} * 1.2 + bench_gen.r(c.i, 11)))::int) k
     WHERE c.has_phone
     ORDER BY hashint8extended(c.i * 1024 + k, ${SEED})
     LIMIT ${smsTickets};
    ANALYZE bench_gen.sms_pick`);
  // Only a customer's latest ticket on a channel can be unresolved: 2% of tickets over those.
  const { latest } = await one('SELECT count(DISTINCT customer_id)::int AS latest FROM bench_gen.sms_pick');
  const unresolvedShare = (0.02 * size.tickets) / (latest + shops);
  await client.query(`
    CREATE UNLOGGED TABLE bench_gen.plan0 AS
    WITH t AS (
      SELECT customer_id, i, 'sms'::text AS channel,
             row_number() OVER (PARTITION BY customer_id ORDER BY k)::int AS k,
             count(*) OVER (PARTITION BY customer_id)::int AS n
        FROM bench_gen.sms_pick
      UNION ALL
      SELECT id, i, 'chat', 1, 1 FROM bench_gen.cust WHERE shop
    ), keyed AS (
      SELECT t.*, t.i::bigint * 256 + t.k * 2 + (t.channel = 'chat')::int AS tkey, c.created_at AS c_created,
             c.currency, c.phone
        FROM t JOIN bench_gen.cust c ON c.id = t.customer_id
    ), decided AS (
      SELECT keyed.*, k = n AND bench_gen.r(tkey, 12) < ${unresolvedShare} AS unresolved,
             (timestamptz ${literal(HISTORY_END)} - c_created) / n AS slot
        FROM keyed
    ), timed AS (
      SELECT decided.*,
             CASE WHEN channel = 'chat' THEN c_created
                  WHEN unresolved THEN greatest(c_created + slot * (k - 1),
                                                timestamptz ${literal(HISTORY_END)} - interval '21 days' * bench_gen.r(tkey, 15))
                  ELSE c_created + slot * (k - 1) + slot * 0.3 * bench_gen.r(tkey, 13) END AS created
        FROM decided
    )
    SELECT timed.*,
           CASE WHEN channel = 'chat' AND unresolved
                  THEN greatest(created + interval '1 hour', timestamptz ${literal(HISTORY_END)} - interval '14 days' * bench_gen.r(tkey, 18))
                WHEN channel = 'chat' THEN created + (timestamptz ${literal(HISTORY_END)} - created) * (0.1 + 0.85 * bench_gen.r(tkey, 17))
                WHEN unresolved THEN created + (timestamptz ${literal(HISTORY_END)} - created) * (0.3 + 0.7 * bench_gen.r(tkey, 16))
                ELSE created + least(slot * 0.6, interval '1 hour' + interval '14 days' * power(bench_gen.r(tkey, 14), 3)) END AS ended,
           CASE WHEN NOT unresolved THEN 'resolved' WHEN bench_gen.r(tkey, 19) < 0.6 THEN 'open' ELSE 'pending' END AS status,
           1 + floor(${AGENTS.length} * power(bench_gen.r(tkey, 20), 1.6))::int AS agent,
           CASE WHEN channel = 'chat' THEN 1 + floor(5 * power(bench_gen.r(tkey, 23), 2))::int ELSE 0 END AS n_orders,
           -ln(1 - bench_gen.r(tkey, 24)) AS e
      FROM timed;
    -- Long threads: the oldest resolved SMS tickets that are their customer's last (no later ticket).
    CREATE UNLOGGED TABLE bench_gen.longs AS
    SELECT tkey, row_number() OVER (ORDER BY created, tkey)::int AS long_rank FROM (
      SELECT tkey, created FROM bench_gen.plan0
       WHERE channel = 'sms' AND k = n AND status = 'resolved'
       ORDER BY created, tkey LIMIT ${size.longThreads}) l;
    ANALYZE bench_gen.plan0;
    ANALYZE bench_gen.longs;`);
  // Messages per ticket: a base (what every ticket has) plus an exponential share, chats 2.5× as
  // long as SMS tickets, scaled so that the total comes to the target.
  const sums = await one(`
    SELECT sum(CASE WHEN channel = 'sms' THEN 3 ELSE n_orders + 2 END)::float8 AS base,
           sum(e) FILTER (WHERE channel = 'sms')::float8 AS e_sms, sum(e) FILTER (WHERE channel = 'chat')::float8 AS e_chat
      FROM bench_gen.plan0 p WHERE NOT EXISTS (SELECT 1 FROM bench_gen.longs l WHERE l.tkey = p.tkey)`);
  const { longs } = await one('SELECT count(*)::int AS longs FROM bench_gen.longs');
  const spread = size.messages - longs * LONG_THREAD - sums.base;
  const muSms = Math.max(0, spread / (sums.e_sms + 2.5 * (sums.e_chat ?? 0)));
  const { ticket_base: ticketBase, message_base: messageBase } = await one(
    `SELECT COALESCE((SELECT max(id) FROM tickets), 0)::bigint AS ticket_base,
            COALESCE((SELECT max(id) FROM messages), 0)::bigint AS message_base`,
  );
  await client.query(`
    CREATE UNLOGGED TABLE bench_gen.plan AS
    WITH sized AS (
      SELECT p.*, l.long_rank,
             CASE WHEN l.long_rank IS NOT NULL THEN ${LONG_THREAD}
                  WHEN channel = 'sms' THEN 3 + least(600, floor(e * ${muSms} + bench_gen.r(tkey, 25)))::int
                  ELSE n_orders + 2 + least(600, floor(e * ${2.5 * muSms} + bench_gen.r(tkey, 25)))::int END AS n_msgs,
             CASE WHEN l.long_rank IS NOT NULL
                  THEN least(created + interval '300 days', timestamptz ${literal(HISTORY_END)} - interval '1 day') ELSE ended END AS ended2
        FROM bench_gen.plan0 p LEFT JOIN bench_gen.longs l USING (tkey)
    ), numbered AS (
      SELECT sized.*, ${ticketBase} + row_number() OVER (ORDER BY created, tkey) AS id FROM sized
    ), placed AS (
      SELECT numbered.*,
             ${messageBase} + sum(n_msgs) OVER (ORDER BY id) - n_msgs AS msg_base,
             ${base.order} + sum(n_orders) OVER (ORDER BY id) - n_orders AS order_base,
             CASE WHEN status = 'open' THEN n_msgs ELSE n_msgs - 1 END AS last_text_seq,
             -- A chat lives for years; an unresolved one's customer wrote recently: its thread after
             -- the first order runs over its last 45 days, so the inbox's top is recent activity.
             CASE WHEN channel = 'chat' AND status <> 'resolved' THEN greatest(created, ended2 - interval '45 days')
                  ELSE created END AS active,
             CASE WHEN status = 'resolved' THEN bench_gen.r(tkey, 21) < 0.93
                  WHEN status = 'pending' THEN true ELSE bench_gen.r(tkey, 21) < 0.65 END AS assigned
        FROM numbered
    )
    SELECT id, tkey, customer_id, channel, status, phone, currency, created, active, ended2 AS ended, n_msgs, n_orders,
           msg_base, order_base, long_rank,
           CASE WHEN assigned THEN ${agentBase} + agent END AS assignee_id,
           ${agentBase} + CASE WHEN assigned THEN agent ELSE 1 + floor(${AGENTS.length} * bench_gen.r(tkey, 22))::int END AS by_agent,
           CASE WHEN channel = 'sms' THEN '${SUPPORT_NUMBER}' END AS support_number,
           bench_gen.msg_time(created, active, ended2, n_msgs, last_text_seq, tkey) AS last_message_at,
           bench_gen.msg_time(created, active, ended2, n_msgs, n_msgs, tkey) AS updated_at,
           CASE WHEN status = 'resolved' THEN bench_gen.msg_time(created, active, ended2, n_msgs, n_msgs, tkey) END AS resolved_at,
           CASE WHEN channel = 'chat' THEN order_base + n_orders END AS order_id,
           CASE WHEN channel = 'sms' THEN 0 WHEN bench_gen.r(tkey, 28) < 0.8 THEN n_msgs ELSE n_msgs - 1 END AS customer_read_seq,
           CASE WHEN status <> 'open' OR bench_gen.r(tkey, 26) < 0.4 THEN n_msgs
                ELSE n_msgs - 1 - floor(2 * bench_gen.r(tkey, 27))::int END AS agent_read_seq
      FROM placed;
    ALTER TABLE bench_gen.plan ADD PRIMARY KEY (id);`);
  const totals = await one(
    'SELECT count(*)::int AS tickets, sum(n_msgs)::bigint AS messages FROM bench_gen.plan',
  );
  return { tickets: totals.tickets, messages: Number(totals.messages), messageBase: Number(messageBase) };
}

/**
 * Each chat ticket's orders (1–5, the first opened the conversation), their items, and the
 * `order-confirm` event each put in the thread, shaped as OrdersService.place records it: body = the
 * order's line, payload { type, orderId, items [{ name, quantity, unitPrice }], total, currency, text }.
 */
async function orders(client) {
  const products = PRODUCTS.length + ORDER_ONLY_PRODUCTS.length;
  await client.query(`
    ANALYZE bench_gen.plan;
    CREATE UNLOGGED TABLE bench_gen.ord AS
    SELECT p.id AS ticket_id, p.customer_id, p.currency, p.order_base + o AS order_id, s.seq,
           bench_gen.msg_time(p.created, p.active, p.ended, p.n_msgs, s.seq, p.tkey) AS created_at
      FROM bench_gen.plan p CROSS JOIN LATERAL generate_series(1, p.n_orders) o
     CROSS JOIN LATERAL (SELECT 1 + ((o - 1) * (p.n_msgs - 2)) / p.n_orders AS seq) s
     WHERE p.channel = 'chat';
    ANALYZE bench_gen.ord;
    CREATE UNLOGGED TABLE bench_gen.items AS
    SELECT order_id, pos, pr.name, 1 + floor(3 * power(bench_gen.r(order_id * 8 + pos, 32), 2))::int AS quantity, pr.price
      FROM bench_gen.ord CROSS JOIN LATERAL generate_series(1, 1 + floor(3 * bench_gen.r(order_id, 30))::int) pos
      JOIN bench_gen.products pr ON pr.i = floor(${products} * bench_gen.r(order_id * 8 + pos, 31))::int;
    ANALYZE bench_gen.items;
    INSERT INTO orders (id, customer_id, currency, total_minor, created_at) OVERRIDING SYSTEM VALUE
    SELECT o.order_id, o.customer_id, o.currency, t.total, o.created_at
      FROM bench_gen.ord o JOIN (SELECT order_id, sum(quantity * price)::bigint AS total FROM bench_gen.items GROUP BY order_id) t
     USING (order_id) ORDER BY o.order_id;
    INSERT INTO order_items (order_id, position, name, quantity, unit_price_minor)
    SELECT order_id, pos, name, quantity, price FROM bench_gen.items ORDER BY order_id, pos;
    CREATE UNLOGGED TABLE bench_gen.order_events AS
    SELECT o.ticket_id, o.seq, o.order_id, a.text AS body,
           jsonb_build_object('type', 'order-confirm', 'orderId', o.order_id::text, 'items', a.items,
                              'total', a.total, 'currency', o.currency, 'text', a.text) AS payload
      FROM bench_gen.ord o JOIN (
        SELECT i.order_id, sum(i.quantity * i.price)::bigint AS total,
               jsonb_agg(jsonb_build_object('name', i.name, 'quantity', i.quantity, 'unitPrice', i.price) ORDER BY i.pos) AS items,
               string_agg(i.quantity || ' × ' || i.name || ' (' || bench_gen.money(i.price, o2.currency) || ')', ', ' ORDER BY i.pos)
                 || ' — total ' || bench_gen.money(sum(i.quantity * i.price)::bigint, min(o2.currency)) AS text
          FROM bench_gen.items i JOIN bench_gen.ord o2 USING (order_id) GROUP BY i.order_id
      ) a USING (order_id);
    CREATE UNIQUE INDEX ON bench_gen.order_events (ticket_id, seq);
    ANALYZE bench_gen.order_events;`);
}

/**
 * The messages of the tickets matching `where`, each ticket's thread laid out as the app writes it:
 * SMS: the customer's first text, the automated confirmation (author NULL, payload.automated), the
 * assignment event, texts both ways; chat: an `order-confirm` event per order (the first opens it),
 * texts both ways with client ids. Resolved and pending tickets end with their status event after
 * the agent's last reply; open ones end with the customer's text. Text bodies come from the pools;
 * a customer text is rarely (2 in a million) a rare-word text, and message 1001 of the first long
 * thread is the only one with RARE_WORDS[0].
 */
async function messages(client, { SEED, agentBase, where }) {
  const names = `(ARRAY[${AGENTS.map(literal).join(', ')}])`;
  const by = `jsonb_build_object('byId', x.author_id::text, 'byName', ${names}[x.author_id - ${agentBase}])`;
  const pool = (name) => POOL[name] * 100000;
  const sizeOf = textPools(SEED);
  await client.query(`
    INSERT INTO messages (id, ticket_id, seq, direction, author_id, kind, body, payload, provider, provider_message_id,
                          status, error, created_at, updated_at, client_id)
    OVERRIDING SYSTEM VALUE
    SELECT x.mid, x.ticket_id, x.j, x.direction, x.author_id, x.kind,
           CASE x.role WHEN 'order' THEN x.order_body
                       WHEN 'confirm' THEN ${literal(CONFIRMATION[0])} || x.ticket_id || ${literal(CONFIRMATION[1])}
                       WHEN 'in' THEN t.body WHEN 'out' THEN t.body ELSE '' END,
           CASE WHEN x.role = 'order' THEN x.order_payload
                WHEN x.role = 'confirm' THEN jsonb_build_object('automated', 'confirmation', 'providerParts', jsonb_build_array(x.pmid))
                WHEN x.role = 'assigned' THEN jsonb_build_object('type', 'assigned', 'assigneeId', x.assignee_id::text,
                                                                 'assigneeName', ${names}[x.assignee_id - ${agentBase}]) || ${by}
                WHEN x.role = 'resolve' THEN jsonb_build_object('type', 'status_changed', 'from', 'open', 'to', 'resolved') || ${by}
                WHEN x.role = 'pend' THEN jsonb_build_object('type', 'status_changed', 'from', 'open', 'to', 'pending') || ${by}
                WHEN x.channel = 'sms' AND x.role = 'in' THEN jsonb_build_object(
                  'msisdn', substr(x.phone, 2), 'to', '${SUPPORT_NUMBER}', 'messageId', x.pmid, 'text', t.body, 'type', 'text',
                  'keyword', upper(split_part(t.body, ' ', 1)), 'api-key', '4c9c1f2a',
                  'message-timestamp', to_char(x.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))
                WHEN x.channel = 'sms' AND x.role = 'out' THEN jsonb_build_object('providerParts', jsonb_build_array(x.pmid))
                ELSE '{}'::jsonb END,
           CASE WHEN x.pmid IS NOT NULL THEN 'vonage' END, x.pmid,
           CASE WHEN x.kind = 'event' THEN NULL WHEN x.direction = 'in' THEN 'received' WHEN x.channel = 'chat' THEN 'sent'
                WHEN x.failed THEN 'failed' ELSE 'delivered' END,
           CASE WHEN x.failed AND x.kind = 'text' AND x.direction = 'out' AND x.channel = 'sms'
                THEN 'Non White-listed Destination - rejected (29)' END,
           x.ts, x.ts,
           CASE WHEN x.channel = 'chat' AND x.kind = 'text' THEN md5('${SEED}:' || x.mid)::uuid END
      FROM (
        SELECT y.*,
               CASE WHEN role = 'in' THEN 'in' ELSE 'out' END AS direction,
               CASE WHEN role IN ('in', 'out', 'confirm') THEN 'text' ELSE 'event' END AS kind,
               CASE WHEN role = 'in' THEN customer_id
                    WHEN role = 'out' THEN COALESCE(assignee_id, ${agentBase} + 1 + floor(${AGENTS.length} * bench_gen.r(mid, 38))::int)
                    WHEN role IN ('order', 'confirm') THEN NULL
                    WHEN role = 'assigned' THEN assignee_id ELSE by_agent END AS author_id,
               CASE WHEN channel = 'sms' AND role IN ('in', 'out', 'confirm') THEN lpad(upper(to_hex(mid)), 16, '0') END AS pmid,
               bench_gen.r(mid, 39) < 0.005 AS failed,
               CASE WHEN role NOT IN ('in', 'out') THEN NULL
                    WHEN long_rank = 1 AND j = 1001 THEN ${pool('rare')}
                    WHEN role = 'in' AND bench_gen.r(mid, 35) < 0.000002
                      THEN ${pool('rare')} + 1 + floor(${RARE_WORDS.length - 1} * bench_gen.r(mid, 36))::int
                    WHEN role = 'in' AND j <= 2 THEN ${pool('open')} + floor(${sizeOf.open.length} * bench_gen.r(mid, 34))::int
                    WHEN role = 'in' THEN ${pool('customer')} + floor(${sizeOf.customer.length} * bench_gen.r(mid, 34))::int
                    ELSE ${pool('agent')} + floor(${sizeOf.agent.length} * bench_gen.r(mid, 37))::int END AS text_key
          FROM (
            SELECT p.id AS ticket_id, p.channel, p.customer_id, p.assignee_id, p.by_agent, p.phone, p.long_rank,
                   p.msg_base + j AS mid, j, oe.body AS order_body, oe.payload AS order_payload,
                   bench_gen.msg_time(p.created, p.active, p.ended, p.n_msgs, j, p.tkey) AS ts,
                   CASE WHEN oe.order_id IS NOT NULL THEN 'order'
                        WHEN j = p.n_msgs AND p.status = 'resolved' THEN 'resolve'
                        WHEN j = p.n_msgs AND p.status = 'pending' THEN 'pend'
                        WHEN j = p.n_msgs THEN 'in'
                        WHEN p.channel = 'sms' AND j = 1 THEN 'in'
                        WHEN p.channel = 'sms' AND j = 2 THEN 'confirm'
                        WHEN p.channel = 'sms' AND j = 3 AND p.assignee_id IS NOT NULL AND p.n_msgs >= 5 THEN 'assigned'
                        WHEN j = p.n_msgs - 1 THEN 'out'
                        WHEN bench_gen.r(p.msg_base + j, 33) < 0.5 THEN 'in' ELSE 'out' END AS role
              FROM bench_gen.plan p CROSS JOIN LATERAL generate_series(1, p.n_msgs) j
              LEFT JOIN bench_gen.order_events oe ON oe.ticket_id = p.id AND oe.seq = j
             WHERE ${where}
          ) y
      ) x LEFT JOIN bench_gen.texts t ON t.key = x.text_key`);
}

/**
 * What the app relies on, checked where it is cheap: every ticket's last_seq is its highest seq and
 * its last_message_at its last text's time (on a 1-in-97 sample of tickets), messages point at
 * existing tickets, and there is exactly one message with the first rare word. The unique indexes
 * re-created after the load (one unresolved ticket per customer and channel, one chat per customer,
 * seq per ticket) have already checked the rest.
 */
async function invariants(client) {
  const { rows } = await client.query(`
    SELECT
      (SELECT count(*) FROM tickets t WHERE t.id % 97 = 0
          AND (t.last_seq <> (SELECT max(seq) FROM messages m WHERE m.ticket_id = t.id)
            OR t.last_message_at IS DISTINCT FROM (SELECT created_at FROM messages m WHERE m.ticket_id = t.id AND kind = 'text'
                                                   ORDER BY seq DESC LIMIT 1)))::int AS bad_sampled_tickets,
      (SELECT count(*) FROM tickets t WHERE t.id % 97 = 0)::int AS sampled_tickets,
      (SELECT min(ticket_id) >= (SELECT min(id) FROM tickets) AND max(ticket_id) <= (SELECT max(id) FROM tickets) FROM messages) AS message_tickets_in_range,
      (SELECT count(*) FROM messages WHERE body LIKE '%${RARE_WORDS[0]}%')::int AS rare_word_messages`);
  const checks = rows[0];
  if (checks.bad_sampled_tickets > 0 || !checks.message_tickets_in_range)
    throw new Error(`the generated desk breaks an invariant: ${JSON.stringify(checks)}`);
  return checks;
}
