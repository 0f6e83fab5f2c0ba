import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Message text is indexed for search after the message's transaction, not in it (docs/benchmarks.md,
 * "What the inbox's indexes cost the webhook": the stored vector and its GIN insert cost the SMS
 * webhook ~13% of its throughput). The seq trigger notes each new text in `message_search_pending`, a
 * table without indexes (one heap append); MessageSearchIndexer (thread/message-search-indexer.ts)
 * takes what committed, a batch per statement, and writes the vectors into `message_search`. Search
 * reads the vectors there, and the few messages still pending by their text, so it never misses a
 * message. The vectors already computed by migration 1763766000000 are moved, not recomputed.
 */
export class SearchOffTheWebhook1763769600000 implements MigrationInterface {
  name = 'SearchOffTheWebhook1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE message_search_pending (message_id bigint NOT NULL)`);
    await queryRunner.query(`
      CREATE TABLE message_search (
        message_id bigint PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
        vector tsvector NOT NULL
      )`);
    await queryRunner.query(
      `INSERT INTO message_search (message_id, vector) SELECT id, search FROM messages WHERE search IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX message_search_vector ON message_search USING gin (vector)`);
    await queryRunner.query(`DROP INDEX messages_search`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN search`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
        CASE WHEN kind = 'text' THEN to_tsvector('switchboard_search'::regconfig, coalesce(body, '')) END
      ) STORED`);
    await queryRunner.query(`CREATE INDEX messages_search ON messages USING gin (search)`);
    await queryRunner.query(`DROP TABLE message_search`);
    await queryRunner.query(`DROP TABLE message_search_pending`);
  }
}
