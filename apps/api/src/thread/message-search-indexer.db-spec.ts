import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/migration-runner';
import { InboxViews } from './inbox-views';
import { MessageSearchIndexer } from './message-search-indexer';

/**
 * Texts are indexed for search after their transaction (migration 1763769600000): the indexer takes
 * exactly the texts that committed, whatever order their ids were given in, each once, with several
 * indexers at once; search finds a text before and after.
 */
describe(MessageSearchIndexer.name, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: MessageSearchIndexer;
  let ticketId: string;
  /** Another customer's ticket: a transaction holding a message of it does not lock `ticketId`. */
  let otherTicketId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    await runMigrationsLocked(dataSource);
    sut = new MessageSearchIndexer(dataSource);
    const [first, second] = await db.query<{ id: string }>(
      `WITH customers AS (INSERT INTO users (role, phone) VALUES ('customer', '+447700900123'), ('customer', '+447700900124')
                          RETURNING id)
       INSERT INTO tickets (customer_id, channel) SELECT id, 'sms' FROM customers ORDER BY id RETURNING id::text`,
    );
    ticketId = first!.id;
    otherTicketId = second!.id;
  });

  beforeEach(async () => {
    await db.query(`DELETE FROM messages`);
    await db.query(`DELETE FROM message_search_pending`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const say = (body: string) =>
    db.query<{ id: string }>(
      `INSERT INTO messages (ticket_id, direction, body, status) VALUES ($1, 'in', $2, 'received') RETURNING id::text`,
      [ticketId, body],
    );
  const indexed = async () =>
    (
      await db.query<{ id: string }>(`SELECT message_id::text AS id FROM message_search ORDER BY message_id`)
    ).map((row) => row.id);
  const found = async (search: string) =>
    (await new InboxViews(dataSource).list({ search, pageSize: 10 })).items.map((ticket) => ticket.id);

  it('finds a text at once, by its text before the indexer ran and by its vector after', async () => {
    const [message] = await say('My parcel never arrived');
    expect(await indexed()).toEqual([]);
    expect(await found('parcel')).toEqual([ticketId]);
    expect(await sut.indexPending()).toBe(1);
    expect(await indexed()).toEqual([message!.id]);
    expect(await found('parcel')).toEqual([ticketId]);
    expect(await found('umbrella')).toEqual([]);
  });

  it('leaves a text whose transaction is still open for a later pass, though a later id was indexed', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // The first id goes to a transaction that has not committed when the indexer passes.
      const [early] = (await runner.query(
        `INSERT INTO messages (ticket_id, direction, body, status) VALUES ($1, 'in', 'early bird', 'received')
         RETURNING id::text`,
        [otherTicketId],
      )) as { id: string }[];
      const [late] = await say('late riser');
      expect(BigInt(early!.id)).toBeLessThan(BigInt(late!.id));
      expect(await sut.indexPending()).toBe(1);
      expect(await indexed()).toEqual([late!.id]);
      await runner.commitTransaction();
      expect(await sut.indexPending()).toBe(1);
      expect(await indexed()).toEqual([early!.id, late!.id]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('indexes every text once with several indexers at once, and events not at all', async () => {
    const texts = await db.query<{ id: string }>(
      `INSERT INTO messages (ticket_id, direction, body, status)
       SELECT $1, 'in', 'note ' || i, 'received' FROM generate_series(1, 60) i RETURNING id::text`,
      [ticketId],
    );
    await db.query(
      `INSERT INTO messages (ticket_id, direction, kind, payload) VALUES ($1, 'out', 'event', '{"type":"assigned"}')`,
      [ticketId],
    );
    const indexers = Array.from({ length: 4 }, () => new MessageSearchIndexer(dataSource));
    const taken = await Promise.all(indexers.map((indexer) => indexer.indexPending(20)));
    expect(taken.reduce((a, b) => a + b, 0)).toBe(60);
    expect(await sut.indexPending()).toBe(0);
    expect(await indexed()).toEqual(texts.map((row) => row.id).sort((a, b) => Number(a) - Number(b)));
  });
});
