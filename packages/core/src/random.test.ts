import { describe, expect, it } from 'vitest';
import { createRandom } from './random.js';

describe('createRandom', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const first = createRandom(7);
    const second = createRandom(7);
    const other = createRandom(8);
    const drawsA = Array.from({ length: 100 }, () => first.nextUint32());
    const drawsB = Array.from({ length: 100 }, () => second.nextUint32());
    const drawsC = Array.from({ length: 100 }, () => other.nextUint32());
    expect(drawsA).toEqual(drawsB);
    expect(drawsA).not.toEqual(drawsC);
  });

  it('produces uniform floats with the right mean and variance', () => {
    const random = createRandom(1);
    const count = 200_000;
    let sum = 0;
    let sumSquares = 0;
    for (let index = 0; index < count; index++) {
      const value = random.uniform();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      sum += value;
      sumSquares += value * value;
    }
    const mean = sum / count;
    // Standard error of the mean is sqrt(1/12 / n) ~ 0.00065; allow 5 of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0033);
    expect(Math.abs(sumSquares / count - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('draws standard normals', () => {
    const random = createRandom(2);
    const count = 200_000;
    let sum = 0;
    let sumSquares = 0;
    let beyondTwo = 0;
    for (let index = 0; index < count; index++) {
      const value = random.normal();
      sum += value;
      sumSquares += value * value;
      if (Math.abs(value) > 2) beyondTwo++;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.012);
    expect(Math.abs(sumSquares / count - 1)).toBeLessThan(0.015);
    // P(|Z| > 2) = 0.0455
    expect(Math.abs(beyondTwo / count - 0.0455)).toBeLessThan(0.003);
  });

  it('draws every integer below count about equally often', () => {
    const random = createRandom(3);
    const counts = new Array<number>(6).fill(0);
    for (let index = 0; index < 60_000; index++) counts[random.integer(6)]!++;
    for (const seen of counts) expect(Math.abs(seen - 10_000)).toBeLessThan(500);
  });

  it('permutes without losing or repeating elements', () => {
    const permutation = createRandom(4).permutation(1000);
    expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('forks streams that are reproducible, independent of draws made before, and distinct by label', () => {
    const parent = createRandom(5);
    const forkBefore = parent.fork('data').nextUint32();
    parent.nextUint32();
    parent.nextUint32();
    expect(parent.fork('data').nextUint32()).toBe(forkBefore);
    expect(parent.fork('model').nextUint32()).not.toBe(forkBefore);
    expect(createRandom(6).fork('data').nextUint32()).not.toBe(forkBefore);
  });

  it('rejects seeds and counts that are not integers, naming the field', () => {
    expect(() => createRandom(1.5)).toThrow(/seed must be a safe integer, got 1.5/);
    expect(() => createRandom(1).integer(0)).toThrow(/count must be an integer/);
  });
});
