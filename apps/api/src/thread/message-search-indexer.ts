import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

/** Texts one statement indexes: a burst is caught up in a few statements, each short. */
const BATCH = 2_000;
/** How long the indexer rests when it found less than a batch. */
const IDLE_MS = 250;

/**
 * Writes the search vectors of new texts (migration 1763769600000): the seq trigger notes each text in
 * `message_search_pending` inside the message's own transaction; this takes the rows that committed
 * (what it cannot see is not yet committed, and stays for a later pass: the database decides, not a
 * watermark), computes their vectors and adds them to `message_search` and its GIN index, one
 * statement per batch. Every instance runs it; `FOR UPDATE SKIP LOCKED` gives each a different batch.
 * Until a text is indexed (a fraction of a second, longer under a burst), search reads it by its text
 * (InboxSearch), so no message is ever missing from the results.
 */
@Injectable()
export class MessageSearchIndexer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MessageSearchIndexer.name);
  private running: Promise<void> | undefined;
  private readonly stop = new AbortController();
  /** Set while passes fail (the database is away): one error line per outage, not one per pass. */
  private failing = false;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  // Before the database connections close (TypeORM closes them at application shutdown).
  async onModuleDestroy(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  /** Indexes one batch of committed texts; returns how many it took. */
  async indexPending(limit = BATCH): Promise<number> {
    const [row] = (await this.dataSource.query(
      `WITH taken AS (
         DELETE FROM message_search_pending
          WHERE ctid = ANY (ARRAY(SELECT ctid FROM message_search_pending LIMIT $1 FOR UPDATE SKIP LOCKED))
         RETURNING message_id),
       indexed AS (
         INSERT INTO message_search (message_id, vector)
         SELECT m.id, to_tsvector('switchboard_search', coalesce(m.body, ''))
           FROM messages m WHERE m.id IN (SELECT message_id FROM taken) AND m.kind = 'text'
         ON CONFLICT (message_id) DO UPDATE SET vector = EXCLUDED.vector)
       SELECT (SELECT count(*) FROM taken)::int AS taken`,
      [limit],
    )) as { taken: number }[];
    return row?.taken ?? 0;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stop;
    while (!signal.aborted) {
      let taken = 0;
      try {
        taken = await this.indexPending();
        if (this.failing) this.logger.log('Search indexing works again');
        this.failing = false;
      } catch (error) {
        // The rows stay pending (the statement rolled back) and are taken again on the next pass.
        if (!signal.aborted && !this.failing) {
          this.logger.error(`Search indexing failed: ${(error as Error).message}`);
          this.failing = true;
        }
      }
      if (taken < BATCH) await sleep(IDLE_MS, undefined, { signal }).catch(() => undefined);
    }
  }
}
