import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/migration-runner';
import { decodeCursor } from './inbox-cursor';
import { COUNT_LIMIT, type InboxFilters } from './inbox-filters';
import { InboxViews } from './inbox-views';

/**
 * The inbox's lists on a real PostgreSQL: keyset pages that neither repeat nor skip while tickets move,
 * ties in activity time, counts that stop at COUNT_LIMIT, and unread kept by the seq trigger.
 */
describe(InboxViews.name, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: InboxViews;
  let ada: string;
  let grace: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    await runMigrationsLocked(dataSource);
    sut = new InboxViews(dataSource);
    [{ id: ada }, { id: grace }] = (await db.query<{ id: string }>(
      `INSERT INTO users (role, name, email) VALUES ('agent', 'Ada', 'ada@example.com'), ('agent', 'Grace', 'grace@example.com')
       RETURNING id::text`,
    )) as [{ id: string }, { id: string }];
  });

  beforeEach(async () => {
    await db.query(`TRUNCATE tickets, messages CASCADE`);
    await db.query(`DELETE FROM users WHERE role = 'customer'`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /** `n` SMS tickets, one customer each, activity one second apart (the first the oldest); their ids. */
  async function tickets(
    n: number,
    { status = 'open', assignee = null as string | null, sameTime = false } = {},
  ): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      `WITH customers AS (
         INSERT INTO users (role, phone)
         SELECT 'customer', '+4477009' || lpad((i + (SELECT count(*) FROM users))::text, 5, '0') FROM generate_series(1, $1) i
         RETURNING id)
       INSERT INTO tickets (customer_id, channel, status, resolved_at, assignee_id, last_message_at)
       SELECT id, 'sms', $2, CASE WHEN $2 = 'resolved' THEN now() END, $3::bigint,
              CASE WHEN $4 THEN timestamptz '2026-01-01' ELSE timestamptz '2026-01-01' + make_interval(secs => row_number() OVER (ORDER BY id)) END
         FROM customers ORDER BY id
       RETURNING id::text`,
      [n, status, assignee, sameTime],
    );
    return rows.map((row) => row.id);
  }

  const inbound = (ticketId: string, body = 'Hello') =>
    db.query(`INSERT INTO messages (ticket_id, direction, body, status) VALUES ($1, 'in', $2, 'received')`, [
      ticketId,
      body,
    ]);

  /** Every page of a list, following nextCursor; `between` runs after each page. */
  async function allPages(
    filters: Omit<InboxFilters, 'pageSize'>,
    pageSize: number,
    between?: (seen: string[]) => Promise<void>,
  ) {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await sut.list({
        ...filters,
        pageSize,
        cursor: cursor ? decodeCursor(cursor) : undefined,
      });
      seen.push(...page.items.map((ticket) => ticket.id));
      cursor = page.nextCursor;
      await between?.(seen);
    } while (cursor);
    return seen;
  }

  it('pages by cursor through every ticket once, newest activity first', async () => {
    const ids = await tickets(23);
    const seen = await allPages({}, 5);
    expect(seen).toEqual([...ids].reverse());
  });

  it('neither repeats nor skips tickets whose activity ties to the microsecond (ties go by id)', async () => {
    const ids = await tickets(12, { sameTime: true });
    expect(await allPages({}, 5)).toEqual([...ids].reverse());
  });

  it('shows no ticket twice and skips none but those that moved to the top, while messages arrive', async () => {
    const ids = await tickets(30);
    const jumped: string[] = [];
    // After each page, a ticket not shown yet and one already shown get a customer message: both move
    // above the cursor. The shown one must not come again; the other arrives live, not in the pages.
    const seen = await allPages({}, 6, async (shown) => {
      const notShown = [...ids].reverse().find((id) => !shown.includes(id) && !jumped.includes(id));
      if (notShown) {
        jumped.push(notShown);
        await inbound(notShown);
      }
      await inbound(shown[shown.length - 1]!);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(ids.filter((id) => !jumped.includes(id)).sort());
    expect(jumped.length).toBeGreaterThan(3);
  });

  it('counts exactly up to 1,000, then says 1,000 and not exact', async () => {
    await tickets(COUNT_LIMIT + 5);
    const page = await sut.list({ status: 'unresolved', pageSize: 25 });
    expect(page).toMatchObject({ total: COUNT_LIMIT, totalExact: false });
    expect(page.items).toHaveLength(25);
    const counts = await sut.counts(ada);
    expect(counts.unresolved).toEqual({ count: COUNT_LIMIT, exact: false });
    expect(counts.mine).toEqual({ count: 0, exact: true });
  });

  it('filters by status, assignee and ticket, and counts each view', async () => {
    const mine = await tickets(3, { assignee: ada });
    const graces = await tickets(2, { assignee: grace });
    const nobodys = await tickets(4);
    const resolved = await tickets(5, { status: 'resolved', assignee: ada });
    await db.query(`UPDATE tickets SET status = 'pending' WHERE id = $1`, [nobodys[0]]);

    const list = async (filters: Omit<InboxFilters, 'pageSize'>) =>
      (await sut.list({ ...filters, pageSize: 100 })).items.map((ticket) => ticket.id).sort();
    expect(await list({ status: 'unresolved', assignee: ada })).toEqual([...mine].sort());
    expect(await list({ status: 'unresolved', assignee: 'none' })).toEqual([...nobodys].sort());
    expect(await list({ status: 'pending' })).toEqual([nobodys[0]]);
    expect(await list({ status: 'open', assignee: 'none' })).toEqual(nobodys.slice(1).sort());
    expect(await list({ status: 'resolved' })).toEqual([...resolved].sort());
    expect(await list({ assignee: ada })).toEqual([...mine, ...resolved].sort());
    expect(await list({ status: 'unresolved', ticketId: graces[1] })).toEqual([graces[1]]);
    expect(await list({ status: 'resolved', ticketId: graces[1] })).toEqual([]);

    await inbound(mine[0]!);
    await inbound(nobodys[2]!);
    await inbound(resolved[0]!);
    expect(await sut.counts(ada)).toEqual({
      unresolved: { count: 9, exact: true },
      mine: { count: 3, exact: true },
      unassigned: { count: 4, exact: true },
      unread: { count: 2, exact: true },
    });
  });

  it("counts a ticket unread until agents read past the customer's last text, not their own or events", async () => {
    const [id] = (await tickets(1)) as [string];
    const unread = async () => (await sut.list({ ticketId: id, pageSize: 1 })).items[0]!.unread;
    await inbound(id, 'First');
    await inbound(id, 'Second');
    expect(await unread()).toBe(2);
    await db.query(`UPDATE tickets SET agent_read_seq = 1 WHERE id = $1`, [id]);
    expect(await unread()).toBe(1);
    await db.query(
      `INSERT INTO messages (ticket_id, direction, body, status) VALUES ($1, 'out', 'On it', 'queued')`,
      [id],
    );
    await db.query(
      `INSERT INTO messages (ticket_id, direction, kind, payload) VALUES ($1, 'out', 'event', '{"type":"assigned"}')`,
      [id],
    );
    await db.query(`UPDATE tickets SET agent_read_seq = 2 WHERE id = $1`, [id]);
    expect(await unread()).toBe(0);
    expect((await sut.counts(ada)).unread).toEqual({ count: 0, exact: true });
  });

  it('lists resolved and unresolved tickets in one activity order, and moves a ticket between them', async () => {
    const [older, resolved] = (await tickets(2, { status: 'resolved' })) as [string, string];
    const [open, newest] = (await tickets(2)) as [string, string];
    // Interleaved in time: older (1 s), open (2 s), resolved (3 s), newest (4 s).
    for (const [id, second] of [
      [older, 1],
      [open, 2],
      [resolved, 3],
      [newest, 4],
    ] as const) {
      await db.query(
        `UPDATE tickets SET last_message_at = timestamptz '2026-01-01' + make_interval(secs => $2) WHERE id = $1`,
        [id, second],
      );
    }
    const order = async (filters: Omit<InboxFilters, 'pageSize'> = {}) =>
      (await sut.list({ ...filters, pageSize: 10 })).items.map((ticket) => ticket.id);
    expect(await order()).toEqual([newest, resolved, open, older]);
    expect(await allPages({}, 1)).toEqual([newest, resolved, open, older]);
    expect(await allPages({ assignee: 'none', channel: 'sms' }, 3)).toEqual([newest, resolved, open, older]);

    await db.query(`UPDATE tickets SET status = 'resolved', resolved_at = now() WHERE id = $1`, [newest]);
    expect(await order({ status: 'unresolved' })).toEqual([open]);
    expect(await order({ status: 'resolved' })).toEqual([newest, resolved, older]);
    await db.query(`UPDATE tickets SET status = 'open', resolved_at = NULL WHERE id = $1`, [older]);
    await inbound(older, 'Me again');
    expect(await order({ status: 'unresolved' })).toEqual([older, open]);
    expect(await order()).toEqual([older, newest, resolved, open]);
    expect((await sut.counts(ada)).unresolved).toEqual({ count: 2, exact: true });
  });

  it("keeps a text's update of its ticket HOT within the hour, and moves the ticket up when the hour turns", async () => {
    const [quiet, busy] = (await tickets(2)) as [string, string];
    // Updates of tickets by one text, and how many were HOT (this backend's counters, not yet flushed:
    // read before and after, since they may still hold earlier transactions' counts).
    const hotUpdates = (id: string) =>
      dataSource.transaction(async (manager) => {
        const counters = async () =>
          (
            (await manager.query(
              `SELECT pg_stat_get_xact_tuples_updated('tickets'::regclass)::int AS updated,
                    pg_stat_get_xact_tuples_hot_updated('tickets'::regclass)::int AS hot`,
            )) as { updated: number; hot: number }[]
          )[0]!;
        const before = await counters();
        await manager.query(
          `INSERT INTO messages (ticket_id, direction, body, status) VALUES ($1, 'in', 'Hi', 'received')`,
          [id],
        );
        const after = await counters();
        return { updated: after.updated - before.updated, hot: after.hot - before.hot };
      });
    // The first text of the hour moves the ticket's index entries; the next ones in that hour do not.
    expect(await hotUpdates(busy)).toEqual({ updated: 1, hot: 0 });
    expect(await hotUpdates(busy)).toEqual({ updated: 1, hot: 1 });
    expect(await hotUpdates(quiet)).toEqual({ updated: 1, hot: 0 });
    // Both in the same hour now: the exact time orders them, the latest text first.
    const order = async () => (await sut.list({ status: 'unresolved', pageSize: 10 })).items.map((t) => t.id);
    expect(await order()).toEqual([quiet, busy]);
    await hotUpdates(busy);
    expect(await order()).toEqual([busy, quiet]);
  });
});
