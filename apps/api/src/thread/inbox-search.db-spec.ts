import type { TicketSummary } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/migration-runner';
import { decodeCursor } from './inbox-cursor';
import type { InboxFilters } from './inbox-filters';
import { InboxViews } from './inbox-views';
import { MessageSearchIndexer } from './message-search-indexer';

/**
 * The inbox's search on a real PostgreSQL, as an agent types into the box: once with every text still
 * waiting for the indexer (found by its text), once with all of them indexed (found by their vectors).
 */
describe.each([
  ['not indexed yet', false],
  ['indexed', true],
])('inbox search, texts %s', (_state, indexed) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: InboxViews;
  const ids = {} as Record<'dana' | 'danaOld' | 'jose' | 'other' | 'joseOrder', string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    await runMigrationsLocked(dataSource);
    sut = new InboxViews(dataSource);

    const customer = async (values: { name?: string; phone?: string; email?: string; username?: string }) => {
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO users (role, name, phone, email, username) VALUES ('customer', $1, $2, $3, $4) RETURNING id::text`,
        [values.name ?? null, values.phone ?? null, values.email ?? null, values.username ?? null],
      );
      return row!.id;
    };
    const ticket = async (customerId: string, channel: string, status = 'open') => {
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO tickets (customer_id, channel, status, resolved_at) VALUES ($1, $2, $3, CASE WHEN $3 = 'resolved' THEN now() END)
         RETURNING id::text`,
        [customerId, channel, status],
      );
      return row!.id;
    };
    const say = (ticketId: string, body: string, daysAgo = 0) =>
      db.query(
        `INSERT INTO messages (ticket_id, direction, body, status, created_at)
         VALUES ($1, 'in', $2, 'received', now() - make_interval(days => $3))`,
        [ticketId, body, daysAgo],
      );

    const dana = await customer({
      name: 'Dana Müller',
      phone: '+447700900123',
      email: 'dana.muller@example.com',
    });
    const jose = await customer({ name: 'José Álvarez', phone: '+33612345678', username: 'jalvarez' });
    const other = await customer({ phone: '+447700900999' });
    ids.danaOld = await ticket(dana, 'sms', 'resolved');
    await say(ids.danaOld, 'My parcel was late last year', 300);
    ids.dana = await ticket(dana, 'sms');
    await say(ids.dana, 'Where is my parcel? It was due on Monday, the courier left a note', 1);
    ids.jose = await ticket(jose, 'chat');
    await say(ids.jose, 'Je voudrais un café et un reçu');
    ids.other = await ticket(other, 'sms');
    await say(ids.other, `Any news on ticket ${ids.dana}?`);
    const [order] = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_id, currency, total_minor) VALUES ($1, 'EUR', 4900) RETURNING id::text`,
      [jose],
    );
    ids.joseOrder = order!.id;
    await db.query(
      `INSERT INTO order_items (order_id, position, name, quantity, unit_price_minor) VALUES ($1, 0, 'Blue ceramic teapot', 1, 4900)`,
      [ids.joseOrder],
    );
    if (indexed) {
      const indexer = new MessageSearchIndexer(dataSource);
      while ((await indexer.indexPending()) > 0);
      const [pending] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM message_search_pending`,
      );
      expect(pending).toEqual({ n: 0 });
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const search = async (q: string, filters: Omit<InboxFilters, 'pageSize' | 'search'> = {}) =>
    (await sut.list({ ...filters, search: q, pageSize: 25 })).items;
  const idsOf = (items: TicketSummary[]) => items.map((ticket) => ticket.id);

  it('finds a customer by phone number however it is typed', async () => {
    for (const typed of [
      '+44 7700 900123',
      '07700 900123',
      '0044-7700-900123',
      '(0)7700 900 123',
      '+44 7700 9001',
    ]) {
      expect(idsOf(await search(typed))).toEqual(expect.arrayContaining([ids.dana, ids.danaOld]));
    }
    expect(idsOf(await search('+33 6 12 34'))).toEqual([ids.jose]);
    expect(idsOf(await search('07700 900123'))).not.toContain(ids.other);
  });

  it('finds customers by the start of their names, username or email, accents folded', async () => {
    expect(idsOf(await search('mull'))).toEqual([ids.dana, ids.danaOld]);
    expect(idsOf(await search('jose alv'))).toEqual([ids.jose]);
    expect(idsOf(await search('JALV'))).toEqual([ids.jose]);
    expect(idsOf(await search('dana.muller@exa'))).toEqual([ids.dana, ids.danaOld]);
    expect((await search('mull'))[0]!.match).toEqual({ in: 'customer', text: null, highlights: [] });
  });

  it('finds message text by word and phrase, accents folded, with the excerpt marked', async () => {
    const [hit] = await search('cafe');
    expect(hit).toMatchObject({ id: ids.jose, match: { in: 'message' } });
    const { text, highlights } = hit!.match!;
    expect(highlights.map(({ start, end }) => text!.slice(start, end))).toEqual(['café']);

    expect(idsOf(await search('"left a note"'))).toEqual([ids.dana]);
    expect(idsOf(await search('"note a left"'))).toEqual([]);
  });

  it('ranks a fresh mention above an old one, and keeps the filters', async () => {
    expect(idsOf(await search('parcel'))).toEqual([ids.dana, ids.danaOld]);
    expect(idsOf(await search('parcel', { status: 'resolved' }))).toEqual([ids.danaOld]);
    expect(idsOf(await search('parcel', { status: 'unresolved', channel: 'sms' }))).toEqual([ids.dana]);
    expect(idsOf(await search('parcel', { channel: 'chat' }))).toEqual([]);
  });

  it("puts the ticket with that number first, then what mentions it; an order's number finds its chat", async () => {
    const found = await search(`#${ids.dana}`);
    expect(found[0]).toMatchObject({ id: ids.dana, match: { in: 'ticket' } });
    expect(idsOf(found)).toContain(ids.other);
    const byOrder = await search(ids.joseOrder);
    expect(byOrder.find((ticket) => ticket.id === ids.jose)?.match?.in).toBe('order');
  });

  it("finds a chat by its customer's order items", async () => {
    const [hit] = await search('teapot');
    expect(hit).toMatchObject({ id: ids.jose, match: { in: 'order' } });
  });

  it('pages through the ranked results by cursor', async () => {
    const first = await sut.list({ search: 'parcel', pageSize: 1 });
    expect(first).toMatchObject({ total: 2, totalExact: true, nextCursor: expect.any(String) });
    const second = await sut.list({ search: 'parcel', pageSize: 1, cursor: decodeCursor(first.nextCursor!) });
    expect([...idsOf(first.items), ...idsOf(second.items)]).toEqual([ids.dana, ids.danaOld]);
    expect(second.nextCursor).toBeNull();
  });

  it('answers text that is only punctuation or query syntax with nothing, not an error', async () => {
    for (const typed of ['&&&', '"', '!:*', "'", '\\', '%_'])
      await expect(search(typed)).resolves.toEqual([]);
  });

  it('finds a frequent word in the tickets a filter allows, however far back they are', async () => {
    // 600 recent mentions in resolved tickets, more than a search collects, and two older ones in
    // open tickets: the latest matches of all hold no open ticket, so the search looks among the open.
    const [{ id: customer }] = (await db.query<{ id: string }>(
      `INSERT INTO users (role, name) VALUES ('customer', 'Busy Bee') RETURNING id::text`,
    )) as [{ id: string }];
    const [{ id: open }] = (await db.query<{ id: string }>(
      `INSERT INTO tickets (customer_id, channel, status) VALUES ($1, 'chat', 'open') RETURNING id::text`,
      [customer],
    )) as [{ id: string }];
    await db.query(
      `INSERT INTO messages (ticket_id, direction, body, status) VALUES ($1, 'in', 'Is the voucher still valid?', 'received')`,
      [open],
    );
    const resolved = await db.query<{ id: string }>(
      `WITH c AS (INSERT INTO users (role, phone) SELECT 'customer', '+4477015' || lpad(i::text, 5, '0')
                    FROM generate_series(100, 129) i RETURNING id)
       INSERT INTO tickets (customer_id, channel, status, resolved_at) SELECT id, 'sms', 'resolved', now() FROM c
       RETURNING id::text`,
    );
    await db.query(
      `INSERT INTO messages (ticket_id, direction, body, status)
       SELECT t, 'in', 'A voucher question, number ' || i, 'received'
         FROM unnest($1::bigint[]) t, generate_series(1, 20) i`,
      [resolved.map((row) => row.id)],
    );

    expect(idsOf(await search('voucher', { status: 'open' }))).toEqual([open]);
    const all = await sut.list({ search: 'voucher', pageSize: 25 });
    expect(all).toMatchObject({ totalExact: false, nextCursor: expect.any(String) });
    const resolvedPage = await sut.list({ search: 'voucher', status: 'resolved', pageSize: 25 });
    expect(resolvedPage.items).toHaveLength(25);
    const next = await sut.list({
      search: 'voucher',
      status: 'resolved',
      pageSize: 25,
      cursor: decodeCursor(resolvedPage.nextCursor!),
    });
    expect(new Set([...idsOf(resolvedPage.items), ...idsOf(next.items)]).size).toBe(30);
  });
});
