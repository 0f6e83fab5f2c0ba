import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from '../database/data-source-options';
import { WebhookNoncesRepository } from './webhook-nonces.repository';

describe(WebhookNoncesRepository.name, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: WebhookNoncesRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
    sut = new WebhookNoncesRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const claim = (nonce: string, signature: string) =>
    dataSource.transaction((manager) => sut.claim(manager, nonce, signature));

  it('lets a nonce through once, then again only with the same signature (a retry, not a replay)', async () => {
    await expect(claim('nonce-1', 'sig-a')).resolves.toBe(true);
    await expect(claim('nonce-1', 'sig-a')).resolves.toBe(true);
    await expect(claim('nonce-1', 'sig-b')).resolves.toBe(false);
    await expect(claim('nonce-2', 'sig-b')).resolves.toBe(true);
  });

  it('lets through an identical retry that arrives while the first delivery is still being stored', async () => {
    let commitFirst!: () => void;
    let claimedFirst!: () => void;
    const firstClaimed = new Promise<void>((resolve) => (claimedFirst = resolve));
    const first = dataSource.transaction(async (manager) => {
      const ok = await sut.claim(manager, 'nonce-3', 'sig-a');
      claimedFirst();
      await new Promise<void>((resolve) => (commitFirst = resolve));
      return ok;
    });
    await firstClaimed;

    const retry = claim('nonce-3', 'sig-a');
    const replay = claim('nonce-3', 'sig-b');
    await sleep(200); // both wait for the first transaction's claim
    commitFirst();

    await expect(Promise.all([first, retry, replay])).resolves.toEqual([true, true, false]);
  });

  it('is the one place that claims nonces: sms_receive calls it too', async () => {
    const functions = (where: string) =>
      db.query(
        `SELECT proname FROM pg_proc
          WHERE pronamespace = 'public'::regnamespace AND prokind = 'f' AND ${where} ORDER BY 1`,
      );

    await expect(functions(`pg_get_functiondef(oid) ~* 'insert into webhook_nonces'`)).resolves.toEqual([
      { proname: 'webhook_nonce_claim' },
    ]);
    await expect(functions(`pg_get_functiondef(oid) ~ 'webhook_nonce_claim\\('`)).resolves.toEqual([
      { proname: 'sms_receive' },
      { proname: 'webhook_nonce_claim' },
    ]);
  });
});
