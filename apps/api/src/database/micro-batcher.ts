import { AsyncResource } from 'node:async_hooks';

export interface MicroBatcherOptions<T, R> {
  /** Does a whole batch in one go (one database round trip and transaction); one result per item, in order. */
  runBatch(items: T[]): Promise<R[]>;
  /** Does one item alone: used when its batch failed, so one bad item fails only its own caller. */
  runOne(item: T): Promise<R>;
  /** Items in one batch at most. */
  maxBatch: number;
  /**
   * Items with the same key are run one after another, in order, when their batch failed (one sender's
   * messages keep their order); items with different keys concurrently.
   */
  keyOf: (item: T) => string;
  /** Told the size of every batch that ran (for metrics). */
  onBatch?: (size: number) => void;
  /** Told when a batch failed as a whole and its items are run alone. */
  onBatchError?: (error: unknown, size: number) => void;
}

/**
 * Groups calls that arrive together into one batch, with at most one batch in flight: calls made
 * while a batch runs wait for it and go together in the next one. Nothing waits on a timer: a lone
 * call goes at once (after the current turn of the event loop), and batches grow only with the load,
 * so a busy webhook pays one commit and one round trip per batch instead of per request. `runBatch`
 * must give up in bounded time (a lock timeout), since everything queued waits for it.
 *
 * Each caller gets its own item's result. When a batch fails as a whole (a lock it could not get in
 * time, a value the database refuses), its items are run alone, off the batching lane, so an error or a
 * wait reaches only the callers it belongs to.
 */
export class MicroBatcher<T, R> {
  private readonly waiting: Call<T, R>[] = [];
  private running = false;
  // Batches run in the context the batcher was made in, not in that of the call that started them:
  // a batch belongs to no single request (its log lines must not carry one request's id).
  private readonly context = new AsyncResource('MicroBatcher');

  constructor(private readonly options: MicroBatcherOptions<T, R>) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Calls made in this turn of the event loop (several requests parsed at once) join the batch.
        this.context.runInAsyncScope(() => setImmediate(() => void this.drain()));
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.options.maxBatch);
        await this.runBatch(batch).catch((error: unknown) => batch.forEach((call) => call.reject(error)));
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: Call<T, R>[]): Promise<void> {
    this.options.onBatch?.(batch.length);
    let results: R[];
    try {
      results = await this.options.runBatch(batch.map((call) => call.item));
      if (results.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} gave ${results.length} results`);
      }
    } catch (error) {
      this.options.onBatchError?.(error, batch.length);
      // Not awaited: an item that waits (for a lock, say) must not hold up the batches behind it.
      void this.runAlone(batch);
      return;
    }
    batch.forEach((call, i) => call.resolve(results[i]!));
  }

  /** Each item alone, settling its own caller: one key's items one after another, in order. */
  private async runAlone(batch: Call<T, R>[]): Promise<void> {
    const byKey = new Map<string, Call<T, R>[]>();
    for (const call of batch) {
      const key = this.options.keyOf(call.item);
      const calls = byKey.get(key);
      if (calls) calls.push(call);
      else byKey.set(key, [call]);
    }
    await Promise.all(
      [...byKey.values()].map(async (calls) => {
        for (const call of calls) await this.options.runOne(call.item).then(call.resolve, call.reject);
      }),
    );
  }
}

interface Call<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}
