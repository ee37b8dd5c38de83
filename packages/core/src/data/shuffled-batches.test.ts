import { describe, expect, it } from 'vitest';
import { shuffledBatches } from './shuffled-batches.js';

describe('shuffledBatches', () => {
  it('covers every index exactly once per epoch in batches of the given size', () => {
    const batches = shuffledBatches({ count: 10, batchSize: 4, seed: 1 });
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect(batches.flatMap((batch) => Array.from(batch)).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('drops a short last batch when asked', () => {
    expect(
      shuffledBatches({ count: 10, batchSize: 4, seed: 1, dropLast: true }).map((batch) => batch.length),
    ).toEqual([4, 4]);
    expect(shuffledBatches({ count: 8, batchSize: 4, seed: 1, dropLast: true }).length).toBe(2);
  });

  it('gives each epoch its own order, reproducible from (seed, epoch)', () => {
    const epochZero = shuffledBatches({ count: 100, batchSize: 10, seed: 3, epoch: 0 });
    const epochOne = shuffledBatches({ count: 100, batchSize: 10, seed: 3, epoch: 1 });
    expect(epochOne).not.toEqual(epochZero);
    expect(shuffledBatches({ count: 100, batchSize: 10, seed: 3, epoch: 1 })).toEqual(epochOne);
    expect(shuffledBatches({ count: 100, batchSize: 10, seed: 3 })).toEqual(epochZero);
    expect(shuffledBatches({ count: 100, batchSize: 10, seed: 4 })).not.toEqual(epochZero);
  });

  it('rejects a batch larger than the data', () => {
    expect(() => shuffledBatches({ count: 5, batchSize: 6, seed: 1 })).toThrow(
      'batchSize must be an integer in [1, 5], got 6',
    );
  });
});
