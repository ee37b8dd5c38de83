import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist, MNIST_PIXELS, type MnistDigits } from './mnist.js';

describe('loadMnist', () => {
  let digits: MnistDigits;
  beforeAll(async () => {
    digits = await loadMnist();
  });

  it('holds the 10,000 digits of the package with their class counts', () => {
    expect(digits.count).toBe(10_000);
    expect(digits.images.length).toBe(10_000 * MNIST_PIXELS);
    const perClass = new Array<number>(10).fill(0);
    for (const label of digits.labels) perClass[label]!++;
    expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('keeps the package order: index i is the i-th image of the concatenated digit files', () => {
    // Read one file independently of the loader and compare the first image of the nines.
    const require = createRequire(import.meta.url);
    const nines = JSON.parse(readFileSync(require.resolve('mnist/src/digits/9.json'), 'utf8')) as {
      data: number[];
    };
    const firstNine = 10_000 - 978;
    expect(digits.labels[firstNine]).toBe(9);
    expect(digits.labels[firstNine - 1]).toBe(8);
    const loaded = digits.images.subarray(firstNine * MNIST_PIXELS, (firstNine + 1) * MNIST_PIXELS);
    expect(Array.from(loaded)).toEqual(Array.from(Float32Array.from(nines.data.slice(0, MNIST_PIXELS))));
  });

  it('has intensities in [0, 1] and caches the load', async () => {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const value of digits.images) {
      if (value < low) low = value;
      if (value > high) high = value;
    }
    expect(low).toBe(0);
    expect(high).toBe(1);
    expect(await loadMnist()).toBe(digits);
  });
});
