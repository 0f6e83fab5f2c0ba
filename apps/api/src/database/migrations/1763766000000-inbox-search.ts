import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search that stays fast with years of history (docs/architecture.md, "Inbox search"): message text in
 * a full-text vector with a GIN index, customers' names, usernames and emails by word prefix, phone
 * numbers by prefix and by their last digits (a national format typed without the country code), and
 * order item names. Accents are folded (`unaccent`, a trusted extension) by the text search
 * configuration `switchboard_search`, a copy of `simple`: no stemming, so every language's words
 * match as typed, until SEARCH_LANGUAGE picks a stemmer (thread/search-language.ts). On a desk with years of messages this migration rewrites `messages` once (the
 * stored vector) and builds the index: minutes per ten million messages (operations.md).
 */
export class InboxSearch1763766000000 implements MigrationInterface {
  name = 'InboxSearch1763766000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(`CREATE TEXT SEARCH CONFIGURATION switchboard_search (COPY = simple)`);
    await queryRunner.query(`
      ALTER TEXT SEARCH CONFIGURATION switchboard_search
        ALTER MAPPING FOR word, hword, hword_part, asciiword, asciihword, hword_asciipart WITH unaccent, simple`);
    // The language the configuration stems in (SEARCH_LANGUAGE), and how far the stored vectors of
    // older messages were recomputed after it changed (thread/search-language.ts).
    await queryRunner.query(`
      CREATE TABLE search_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        language text NOT NULL DEFAULT 'simple',
        reindexed_to bigint,
        reindex_until bigint
      )`);
    await queryRunner.query(`INSERT INTO search_settings DEFAULT VALUES`);
    await queryRunner.query(`
      ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
        CASE WHEN kind = 'text' THEN to_tsvector('switchboard_search'::regconfig, coalesce(body, '')) END
      ) STORED`);
    await queryRunner.query(`CREATE INDEX messages_search ON messages USING gin (search)`);
    await queryRunner.query(`
      CREATE INDEX users_customer_search ON users USING gin (
        to_tsvector('switchboard_search'::regconfig,
                    coalesce(name, '') || ' ' || coalesce(username, '') || ' ' || coalesce(email, ''))
      ) WHERE role = 'customer'`);
    await queryRunner.query(
      `CREATE INDEX users_customer_email ON users (lower(email) text_pattern_ops) WHERE role = 'customer'`,
    );
    await queryRunner.query(
      `CREATE INDEX users_phone_prefix ON users (phone text_pattern_ops) WHERE phone IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX users_phone_suffix ON users (reverse(phone) text_pattern_ops) WHERE phone IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX order_items_search ON order_items USING gin (to_tsvector('switchboard_search'::regconfig, name))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX order_items_search`);
    await queryRunner.query(`DROP INDEX users_phone_suffix`);
    await queryRunner.query(`DROP INDEX users_phone_prefix`);
    await queryRunner.query(`DROP INDEX users_customer_email`);
    await queryRunner.query(`DROP INDEX users_customer_search`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN search`);
    await queryRunner.query(`DROP TABLE search_settings`);
    await queryRunner.query(`DROP TEXT SEARCH CONFIGURATION switchboard_search`);
  }
}
