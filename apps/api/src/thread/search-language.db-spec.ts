import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/migration-runner';
import type { JobQueue } from '../jobs/job-queue';
import { InboxViews } from './inbox-views';
import { MessageSearchIndexer } from './message-search-indexer';
import { SearchLanguage } from './search-language';

/** SEARCH_LANGUAGE on a real PostgreSQL: a stemmer for new text at once, older text re-read after. */
describe(SearchLanguage.name, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let inbox: InboxViews;
  let sut: SearchLanguage;
  let ticketId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    await runMigrationsLocked(dataSource);
    inbox = new InboxViews(dataSource);
    // The job queue only runs reindex() in the background; here the test calls it.
    sut = new SearchLanguage(
      dataSource,
      { searchLanguage: 'english' } as AppConfig,
      null as unknown as JobQueue,
    );
    [{ id: ticketId }] = (await db.query<{ id: string }>(
      `WITH c AS (INSERT INTO users (role, name, phone) VALUES ('customer', 'Dana', '+447700900123') RETURNING id)
       INSERT INTO tickets (customer_id, channel) SELECT id, 'sms' FROM c RETURNING id::text`,
    )) as [{ id: string }];
    await say('Both parcels arrived at the café');
    // Indexed in the language of the day (a text still waiting for the indexer is read in today's).
    await new MessageSearchIndexer(dataSource).indexPending();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const say = (body: string) =>
    db.query(`INSERT INTO messages (ticket_id, direction, body, status) VALUES ($1, 'in', $2, 'received')`, [
      ticketId,
      body,
    ]);
  const finds = async (q: string) => (await inbox.list({ search: q, pageSize: 5 })).items.length > 0;

  it('reads words as typed by default, accents folded', async () => {
    expect([await finds('parcels'), await finds('parcel'), await finds('cafe')]).toEqual([true, false, true]);
  });

  it('stems new text in the new language at once, and older text once re-read', async () => {
    await expect(sut.use('english')).resolves.toBe(true);
    await expect(sut.use('english')).resolves.toBe(false);
    await say('The deliveries are delayed');
    expect(await finds('delivery')).toBe(true);
    // Stored as "parcels" in the old language: found by its stem only after the re-read.
    expect(await finds('parcel')).toBe(false);

    await expect(sut.reindex()).resolves.toBe(1);
    expect([await finds('parcel'), await finds('parcels'), await finds('cafe')]).toEqual([true, true, true]);
    expect(await db.query(`SELECT language, reindexed_to, reindex_until FROM search_settings`)).toEqual([
      { language: 'english', reindexed_to: null, reindex_until: null },
    ]);
    await expect(sut.reindex()).resolves.toBe(0);
  });

  it('goes back to words as typed', async () => {
    await expect(sut.use('simple')).resolves.toBe(true);
    await sut.reindex();
    expect([await finds('parcels'), await finds('parcel')]).toEqual([true, false]);
  });
});
