import { describe, expect, it } from 'vitest';
import { createDelayedRecall } from './delayed-recall.js';

describe('createDelayedRecall', () => {
  it('marks one key, puts the query exactly d later, and answers with the key symbol', () => {
    const batch = createDelayedRecall({ distance: 5, symbols: 4, length: 12, count: 300, seed: 1 });
    expect(batch.vocabularySize).toBe(9);
    expect(batch.queryToken).toBe(8);
    const keyPositionsSeen = new Set<number>();
    for (let sequence = 0; sequence < 300; sequence++) {
      const row = Array.from(batch.tokens.subarray(sequence * 12, (sequence + 1) * 12));
      const key = batch.keyPositions[sequence]!;
      keyPositionsSeen.add(key);
      expect(batch.queryPositions[sequence]).toBe(key + 5);
      expect(row.filter((token) => token >= 4 && token < 8)).toEqual([row[key]]);
      expect(row.filter((token) => token === 8)).toEqual([8]);
      expect(row[key + 5]).toBe(8);
      expect(row[key]! - 4).toBe(batch.answers[sequence]);
    }
    // Keys take every allowed offset 0 .. length - 1 - d.
    expect([...keyPositionsSeen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('spreads answers over the symbols (chance 1/S) and is seeded', () => {
    const batch = createDelayedRecall({ distance: 8, count: 8000, seed: 2 });
    expect(batch.length).toBe(16);
    const counts = new Array<number>(8).fill(0);
    for (const answer of batch.answers) counts[answer]!++;
    // 1000 expected per symbol, standard deviation ~30.
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(150);
    expect(createDelayedRecall({ distance: 8, count: 10, seed: 2 }).tokens).toEqual(
      createDelayedRecall({ distance: 8, count: 10, seed: 2 }).tokens,
    );
  });

  it('rejects a length too short for the distance', () => {
    expect(() => createDelayedRecall({ distance: 8, length: 8, count: 1, seed: 1 })).toThrow(
      /length must be an integer in \[9,/,
    );
  });
});
