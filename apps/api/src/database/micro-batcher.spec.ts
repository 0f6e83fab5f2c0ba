import { AsyncLocalStorage } from 'node:async_hooks';
import { MicroBatcher } from './micro-batcher';

/** A controllable batch runner: records every call and lets the test decide when a batch ends. */
function harness(
  options: { failBatch?: (items: number[]) => boolean; maxBatch?: number; onBatch?: () => void } = {},
) {
  const batches: number[][] = [];
  const singles: number[] = [];
  const started: number[] = [];
  const errors: unknown[] = [];
  let release: (() => void) | undefined;
  let gate = Promise.resolve();
  const batcher = new MicroBatcher<number, string>({
    maxBatch: options.maxBatch ?? 10,
    runBatch: async (items) => {
      batches.push(items);
      await gate;
      if (options.failBatch?.(items)) throw new Error('batch refused');
      return items.map((item) => `batch:${item}`);
    },
    runOne: async (item) => {
      started.push(item);
      // A later item of the same key must not start before this one ended.
      await new Promise((resolve) => setTimeout(resolve, Math.abs(item) % 3));
      singles.push(item);
      if (item < 0) throw new Error(`item ${item} refused`);
      return `one:${item}`;
    },
    // Odd and even items stand for two senders.
    keyOf: (item) => (Math.abs(item) % 2 === 0 ? 'even' : 'odd'),
    onBatch: options.onBatch,
    onBatchError: (error) => errors.push(error),
  });
  return {
    batcher,
    batches,
    singles,
    started,
    errors,
    hold: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release?.(),
  };
}

describe(MicroBatcher.name, () => {
  it('runs a lone call at once, as a batch of one', async () => {
    const { batcher, batches, singles } = harness();

    await expect(batcher.run(1)).resolves.toBe('batch:1');

    expect(batches).toEqual([[1]]);
    expect(singles).toEqual([]);
  });

  it('puts calls made together into one batch and gives each caller its own result', async () => {
    const { batcher, batches } = harness();

    const results = await Promise.all([1, 2, 3].map((item) => batcher.run(item)));

    expect(batches).toEqual([[1, 2, 3]]);
    expect(results).toEqual(['batch:1', 'batch:2', 'batch:3']);
  });

  it('keeps one batch in flight: calls made meanwhile go together in the next one', async () => {
    const h = harness();
    h.hold();
    const first = [1, 2].map((item) => h.batcher.run(item));
    await new Promise((resolve) => setImmediate(resolve));
    const second = [3, 4, 5].map((item) => h.batcher.run(item));
    await new Promise((resolve) => setImmediate(resolve));

    expect(h.batches).toEqual([[1, 2]]);
    h.release();

    expect(await Promise.all([...first, ...second])).toEqual([
      'batch:1',
      'batch:2',
      'batch:3',
      'batch:4',
      'batch:5',
    ]);
    expect(h.batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('splits what waits into batches of at most maxBatch', async () => {
    const { batcher, batches, singles } = harness({ maxBatch: 2 });

    await Promise.all([1, 2, 3, 4, 5].map((item) => batcher.run(item)));

    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(singles).toEqual([]);
  });

  it('when a batch fails, runs its items alone: only the bad one fails, the others succeed', async () => {
    const { batcher, singles, errors } = harness({ failBatch: (items) => items.some((item) => item < 0) });

    const results = await Promise.allSettled([1, -2, 3].map((item) => batcher.run(item)));

    expect(singles.sort()).toEqual([-2, 1, 3]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'one:1' },
      { status: 'rejected', reason: new Error('item -2 refused') },
      { status: 'fulfilled', value: 'one:3' },
    ]);
    expect(errors).toEqual([new Error('batch refused')]);
  });

  it("runs a failed batch's items of one key one after another, in order, and other keys alongside", async () => {
    const { batcher, singles, started } = harness({ failBatch: () => true });

    await Promise.all([5, 2, 3, 4, 1].map((item) => batcher.run(item)));

    // Both keys start at once; within a key each item starts only after the previous one ended.
    expect(started.slice(0, 2)).toEqual([5, 2]);
    expect(singles.filter((item) => item % 2 === 1)).toEqual([5, 3, 1]);
    expect(singles.filter((item) => item % 2 === 0)).toEqual([2, 4]);
  });

  it('does not let the items of a failed batch, run alone, hold up the next batch', async () => {
    let unblock: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, string>({
      maxBatch: 10,
      keyOf: String,
      runBatch: async (items) => {
        batches.push(items);
        if (items.includes(0)) throw new Error('lock timeout');
        return items.map((item) => `batch:${item}`);
      },
      // Item 0 waits (for a lock, say) until the test lets it go.
      runOne: async (item) => (item === 0 ? blocked.then(() => 'one:0') : `one:${item}`),
    });
    const stuck = batcher.run(0);
    await new Promise((resolve) => setImmediate(resolve));

    await expect(Promise.all([1, 2].map((item) => batcher.run(item)))).resolves.toEqual([
      'batch:1',
      'batch:2',
    ]);

    unblock();
    await expect(stuck).resolves.toBe('one:0');
  });

  it("runs batches outside the context of the call that started them (a batch is no one request's)", async () => {
    const requests = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const batcher = new MicroBatcher<number, string>({
      maxBatch: 10,
      keyOf: String,
      runBatch: async (items) => {
        seen.push(requests.getStore());
        return items.map(String);
      },
      runOne: async (item) => String(item),
    });

    await Promise.all([1, 2].map((item) => requests.run(`request ${item}`, () => batcher.run(item))));

    expect(seen).toEqual([undefined]);
  });

  it('settles every caller and keeps working when something throws outside the batch itself', async () => {
    let thrown = false;
    const { batcher } = harness({
      onBatch: () => {
        if (!thrown) {
          thrown = true;
          throw new Error('metrics down');
        }
      },
    });

    await expect(Promise.all([1, 2].map((item) => batcher.run(item)))).rejects.toThrow('metrics down');
    await expect(Promise.all([3, 4].map((item) => batcher.run(item)))).resolves.toEqual([
      'batch:3',
      'batch:4',
    ]);
  });

  it('goes on batching after a failure', async () => {
    const { batcher, batches } = harness({ failBatch: (items) => items.includes(-1) });
    await Promise.allSettled([-1, 2].map((item) => batcher.run(item)));

    const results = await Promise.all([7, 8].map((item) => batcher.run(item)));

    expect(results).toEqual(['batch:7', 'batch:8']);
    expect(batches.at(-1)).toEqual([7, 8]);
  });
});
