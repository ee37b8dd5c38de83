import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { createSparseParity } from './sparse-parity.js';

describe('createSparseParity', () => {
  it('labels each example with the parity of its task bits, hand-checked', () => {
    const family = createSparseParity({ tasks: 3, bits: 6, k: 2, seed: 1 });
    expect(family.inputSize).toBe(9);
    const batch = family.sample(200, 5);
    for (let example = 0; example < 200; example++) {
      const row = Array.from(batch.inputs.subarray(example * 9, (example + 1) * 9));
      const task = batch.taskIds[example]!;
      expect(row.slice(0, 3)).toEqual([0, 1, 2].map((index) => (index === task ? 1 : 0)));
      for (const value of row.slice(3)) expect(Math.abs(value)).toBe(1);
      const [first, second] = family.subsets.subarray(task * 2, task * 2 + 2);
      const product = row[3 + first!]! * row[3 + second!]!;
      expect(batch.labels[example]).toBe(product === -1 ? 1 : 0);
    }
  });

  it('draws tasks with Zipf frequencies and fixes each task to k distinct bits', () => {
    const family = createSparseParity({ tasks: 4, bits: 10, k: 3, zipfExponent: 1, seed: 2 });
    // 1, 1/2, 1/3, 1/4 normalised by 25/12.
    expect(Array.from(family.frequencies)).toEqual(
      [12 / 25, 6 / 25, 4 / 25, 3 / 25].map((value) => expect.closeTo(value, 12)),
    );
    for (let task = 0; task < 4; task++)
      expect(new Set(family.subsets.subarray(task * 3, task * 3 + 3)).size).toBe(3);
    const counts = [0, 0, 0, 0];
    for (const task of family.sample(25_000, 3).taskIds) counts[task]!++;
    counts.forEach((count, task) => {
      expect(Math.abs(count / 25_000 - family.frequencies[task]!)).toBeLessThan(0.01);
    });
  });

  it('keeps the tasks fixed by seed while samples change with the sample seed', () => {
    const family = createSparseParity({ seed: 7 });
    expect(createSparseParity({ seed: 7 }).subsets).toEqual(family.subsets);
    expect(createSparseParity({ seed: 8 }).subsets).not.toEqual(family.subsets);
    expect(family.sample(8, 1)).toEqual(family.sample(8, 1));
    expect(family.sample(8, 1).inputs).not.toEqual(family.sample(8, 2).inputs);
    expect(() => createSparseParity({ bits: 2, k: 3, seed: 1 })).toThrow(
      'k must be an integer in [1, 2], got 3',
    );
  });

  it('draws, per example, the task from one uniform and each bit as -1 exactly when its uniform is < 0.5', () => {
    const family = createSparseParity({ tasks: 3, bits: 40, k: 2, seed: 4 });
    const batch = family.sample(50, 9);
    // The same stream read with uniform(): the bit pattern must follow it draw for draw.
    const random = createRandom(9).fork('sparse-parity-sample');
    for (let example = 0; example < 50; example++) {
      random.uniform(); // the task draw
      const expected = Array.from({ length: 40 }, () => (random.uniform() < 0.5 ? -1 : 1));
      expect(Array.from(batch.inputs.subarray(example * 43 + 3, (example + 1) * 43))).toEqual(expected);
    }
  });
});
