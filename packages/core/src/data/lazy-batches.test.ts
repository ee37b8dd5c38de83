import { describe, expect, it } from 'vitest';
import { lazyBatches } from './lazy-batches.js';
import { shuffledBatches } from './shuffled-batches.js';

describe('lazyBatches', () => {
  it('builds each batch from its indices only when the iteration reaches it', () => {
    const built: number[] = [];
    const iterator = lazyBatches({ count: 9, batchSize: 4, seed: 5 }, (indices) => {
      built.push(indices.length);
      return Array.from(indices);
    });
    expect(built).toEqual([]);
    const first = iterator.next();
    expect(built).toEqual([4]);
    const rest = [...iterator];
    expect(built).toEqual([4, 4, 1]);
    expect([first.value, ...rest]).toEqual(
      shuffledBatches({ count: 9, batchSize: 4, seed: 5 }).map((b) => Array.from(b)),
    );
  });
});
