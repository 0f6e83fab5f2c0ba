export interface MicroBatcherOptions<T, R> {
  /** Does a whole batch in one go (one database round trip and transaction); one result per item, in order. */
  runBatch(items: T[]): Promise<R[]>;
  /** Does one item alone: used when its batch failed, so one bad item fails only its own caller. */
  runOne(item: T): Promise<R>;
  /** Items in one batch at most. */
  maxBatch: number;
  /** Told the size of every batch that ran (for metrics). */
  onBatch?: (size: number) => void;
}

/**
 * Groups calls that arrive together into one batch, with at most one batch in flight: calls made
 * while a batch runs wait for it and go together in the next one. Nothing waits on a timer: a lone
 * call goes at once (after the current turn of the event loop), and batches grow only with the load,
 * so a busy webhook pays one commit and one round trip per batch instead of per request.
 *
 * Each caller gets its own item's result. When a batch fails as a whole (a deadlock with another
 * instance, a value the database refuses), each of its items is run alone, so an error reaches only
 * the callers it belongs to.
 */
export class MicroBatcher<T, R> {
  private readonly waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] =
    [];
  private running = false;

  constructor(private readonly options: MicroBatcherOptions<T, R>) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Calls made in this turn of the event loop (several requests parsed at once) join the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.options.onBatch?.(batch.length);
      if (batch.length === 1) {
        const [call] = batch as [(typeof batch)[0]];
        await this.options.runOne(call.item).then(call.resolve, call.reject);
        continue;
      }
      let results: R[] | undefined;
      try {
        results = await this.options.runBatch(batch.map((call) => call.item));
        if (results.length !== batch.length) {
          throw new Error(`a batch of ${batch.length} gave ${results.length} results`);
        }
      } catch {
        results = undefined;
      }
      if (results) {
        batch.forEach((call, i) => call.resolve(results[i]!));
      } else {
        await Promise.all(
          batch.map((call) => this.options.runOne(call.item).then(call.resolve, call.reject)),
        );
      }
    }
    this.running = false;
  }
}
