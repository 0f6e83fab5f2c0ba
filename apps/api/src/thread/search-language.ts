import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { SearchLanguageName } from '../config/environment-variables';
import { JobQueue } from '../jobs/job-queue';

export const SEARCH_REINDEX_QUEUE = 'search.reindex';

/** Messages whose stored vector one transaction recomputes: short locks, steady progress. */
const BATCH = 5_000;

/** Every token type the default parser gives words as: all of them fold accents, then stem. */
const WORD_TOKENS = 'word, hword, hword_part, asciiword, asciihword, hword_asciipart';

/**
 * The language the inbox's search stems words in (SEARCH_LANGUAGE, `simple` by default: no stemming).
 * It is the `switchboard_search` text search configuration's dictionary after `unaccent`. Changing it
 * changes how new text is read at once; the vectors already stored for older messages are recomputed
 * in the background, oldest ids first, by the `search.reindex` job (a restart resumes where it was),
 * and the name indexes are rebuilt at the end. Until then, searches find older messages as the old
 * language read them.
 */
@Injectable()
export class SearchLanguage implements OnApplicationBootstrap {
  private readonly logger = new Logger(SearchLanguage.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.declare(SEARCH_REINDEX_QUEUE, {
      retryLimit: 20,
      retryDelay: 30,
      expireInSeconds: 4 * 3600,
    });
    await this.jobs.work(SEARCH_REINDEX_QUEUE, () => this.reindex().then(() => undefined));
    if (await this.use(this.config.searchLanguage)) {
      this.logger.log(
        `Search language is now ${this.config.searchLanguage}: older messages are re-read in the background`,
      );
      await this.jobs.send(SEARCH_REINDEX_QUEUE, {});
    }
  }

  /**
   * Makes `language` the search's language. True when it changed (the stored vectors then need
   * recomputing, which it schedules in search_settings); false when it already was.
   */
  async use(language: SearchLanguageName): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [settings] = (await manager.query(`SELECT language FROM search_settings FOR UPDATE`)) as {
        language: string;
      }[];
      if (settings?.language === language) return false;
      // The stemmer of PostgreSQL's own configuration for that language (`english` → english_stem).
      const [dictionary] = (await manager.query(
        `SELECT d.dictname FROM pg_ts_config_map m JOIN pg_ts_dict d ON d.oid = m.mapdict
          WHERE m.mapcfg = $1::regconfig
            AND m.maptokentype = (SELECT tokid FROM ts_token_type('default') WHERE alias = 'asciiword')
          ORDER BY m.mapseqno DESC LIMIT 1`,
        [language],
      )) as { dictname: string }[];
      if (!dictionary) throw new Error(`PostgreSQL has no text search configuration ${language}`);
      const [{ sql }] = (await manager.query(
        `SELECT format('ALTER TEXT SEARCH CONFIGURATION switchboard_search ALTER MAPPING FOR ${WORD_TOKENS} WITH unaccent, %I', $1::text) AS sql`,
        [dictionary.dictname],
      )) as [{ sql: string }];
      await manager.query(sql);
      await manager.query(
        `UPDATE search_settings SET language = $1, reindexed_to = 0,
                reindex_until = (SELECT coalesce(max(id), 0) FROM messages)`,
        [language],
      );
      return true;
    });
  }

  /**
   * Recomputes the indexed vectors (`message_search`) of the messages written before the language changed, a batch per
   * transaction, then rebuilds the name indexes (their expressions read the configuration too).
   * Returns how many batches it ran.
   */
  async reindex(): Promise<number> {
    let batches = 0;
    for (;;) {
      const more = await this.dataSource.transaction(async (manager) => {
        const [state] = (await manager.query(
          `SELECT reindexed_to::text AS "from", reindex_until::text AS until FROM search_settings FOR UPDATE`,
        )) as { from: string | null; until: string | null }[];
        if (!state?.from || !state.until || BigInt(state.from) >= BigInt(state.until)) return false;
        const to = BigInt(state.from) + BigInt(BATCH);
        await manager.query(
          `UPDATE message_search s SET vector = to_tsvector('switchboard_search', coalesce(m.body, ''))
             FROM messages m
            WHERE m.id = s.message_id AND s.message_id > $1 AND s.message_id <= $2`,
          [state.from, to.toString()],
        );
        await manager.query(`UPDATE search_settings SET reindexed_to = $1`, [to.toString()]);
        return true;
      });
      if (!more) break;
      batches += 1;
    }
    const [finished] = (await this.dataSource.query(
      `WITH done AS (UPDATE search_settings SET reindexed_to = NULL, reindex_until = NULL
                      WHERE reindexed_to IS NOT NULL RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
    )) as { n: number }[];
    if (finished!.n > 0) {
      // Outside a transaction, without blocking writes to customers or orders.
      await this.dataSource.query(`REINDEX INDEX CONCURRENTLY users_customer_search`);
      await this.dataSource.query(`REINDEX INDEX CONCURRENTLY order_items_search`);
      this.logger.log(`Search: older messages re-read in the new language (${batches} batches)`);
    }
    return batches;
  }
}
