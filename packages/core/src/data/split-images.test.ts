import { beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { loadMnist, MNIST_PIXELS, type MnistDigits } from './mnist.js';
import { splitMnist } from './split-images.js';

function classCounts(labels: Uint8Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
}

/** A tiny collection whose pixel values encode the image index, with unequal classes. */
function tinyCollection(labels: number[]) {
  const count = labels.length;
  return {
    images: Float32Array.from({ length: count * 2 }, (_, position) => Math.floor(position / 2)),
    labels: Uint8Array.from(labels),
    count,
  };
}

describe('splitMnist', () => {
  let digits: MnistDigits;
  beforeAll(async () => {
    digits = await loadMnist();
  });

  it('draws balanced, disjoint sets whose pixels and labels match the indices', () => {
    const { train, test } = splitMnist(digits, { trainSize: 1000, testSize: 2000, seed: 1 });
    expect(train.count).toBe(1000);
    expect(test.count).toBe(2000);
    expect(classCounts(train.labels, 10)).toEqual(new Array(10).fill(100));
    expect(classCounts(test.labels, 10)).toEqual(new Array(10).fill(200));
    const trainIndices = new Set(train.indices);
    expect(trainIndices.size).toBe(1000);
    expect(test.indices.some((index) => trainIndices.has(index))).toBe(false);
    for (const position of [0, 517, 999]) {
      const index = train.indices[position]!;
      expect(train.labels[position]).toBe(digits.labels[index]);
      expect(train.images.subarray(position * MNIST_PIXELS, (position + 1) * MNIST_PIXELS)).toEqual(
        digits.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS),
      );
    }
  });

  it('is deterministic by seed and differs between seeds', () => {
    const first = splitMnist(digits, { trainSize: 50, testSize: 20, seed: 7 });
    const again = splitMnist(digits, { trainSize: 50, testSize: 20, seed: 7 });
    const other = splitMnist(digits, { trainSize: 50, testSize: 20, seed: 8 });
    expect(again.train.indices).toEqual(first.train.indices);
    expect(again.test.indices).toEqual(first.test.indices);
    expect(other.train.indices).not.toEqual(first.train.indices);
  });

  it('spreads a remainder so class counts differ by at most one', () => {
    const { train } = splitMnist(digits, { trainSize: 1005, testSize: 0, seed: 3 });
    const counts = classCounts(train.labels, 10);
    expect(Math.max(...counts) - Math.min(...counts)).toBe(1);
    expect(counts.reduce((sum, value) => sum + value, 0)).toBe(1005);
  });

  it('fills the other classes when a class runs out (as equal as possible)', () => {
    // Class 0 has 2 images, class 1 has 6: a balanced set of 6 takes both zeros and four ones.
    const source = tinyCollection([0, 1, 1, 0, 1, 1, 1, 1]);
    const { train, test } = splitMnist(source, { trainSize: 6, testSize: 2, seed: 1 });
    expect(classCounts(train.labels, 2)).toEqual([2, 4]);
    expect(classCounts(test.labels, 2)).toEqual([0, 2]);
    expect([...train.indices, ...test.indices].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The pixels travel with their image.
    for (let position = 0; position < train.count; position++) {
      expect(train.images[position * 2]).toBe(train.indices[position]);
    }
  });

  it('follows the natural class mix when not balanced', () => {
    const { train, test } = splitMnist(digits, { trainSize: 9000, testSize: 1000, seed: 2, balanced: false });
    const all = classCounts(Uint8Array.from([...train.labels, ...test.labels]), 10);
    expect(all).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(new Set([...train.indices, ...test.indices]).size).toBe(10_000);
  });

  it('rejects sizes that are not integers or exceed the source, naming the field', () => {
    expect(() => splitMnist(digits, { trainSize: 0, testSize: 10, seed: 1 })).toThrow(/trainSize must be/);
    expect(() => splitMnist(digits, { trainSize: 10.5, testSize: 10, seed: 1 })).toThrow(OptionError);
    expect(() => splitMnist(digits, { trainSize: 10, testSize: -1, seed: 1 })).toThrow(/testSize must be/);
    expect(() => splitMnist(digits, { trainSize: 9000, testSize: 1001, seed: 1 })).toThrow(
      'trainSize + testSize must be at most the 10000 images available, got 10001',
    );
  });
});
