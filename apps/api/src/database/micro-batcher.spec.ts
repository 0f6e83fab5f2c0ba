import { MicroBatcher } from './micro-batcher';

/** A controllable batch runner: records every call and lets the test decide when a batch ends. */
function harness(options: { failBatch?: (items: number[]) => boolean; maxBatch?: number } = {}) {
  const batches: number[][] = [];
  const singles: number[] = [];
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
      singles.push(item);
      if (item < 0) throw new Error(`item ${item} refused`);
      return `one:${item}`;
    },
  });
  return {
    batcher,
    batches,
    singles,
    hold: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release?.(),
  };
}

describe(MicroBatcher.name, () => {
  it('runs a lone call by itself, at once', async () => {
    const { batcher, batches, singles } = harness();

    await expect(batcher.run(1)).resolves.toBe('one:1');

    expect(singles).toEqual([1]);
    expect(batches).toEqual([]);
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

    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(singles).toEqual([5]);
  });

  it('when a batch fails, runs its items alone: only the bad one fails, the others succeed', async () => {
    const { batcher, singles } = harness({ failBatch: (items) => items.some((item) => item < 0) });

    const results = await Promise.allSettled([1, -2, 3].map((item) => batcher.run(item)));

    expect(singles).toEqual([1, -2, 3]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'one:1' },
      { status: 'rejected', reason: new Error('item -2 refused') },
      { status: 'fulfilled', value: 'one:3' },
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
