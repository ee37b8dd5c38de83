import { describe, expect, it } from 'vitest';
import { applyLabelNoise } from './label-noise.js';

describe('applyLabelNoise', () => {
  const labels = Uint8Array.from({ length: 1000 }, (_, index) => index % 10);

  it('changes exactly round(rate * n) labels, each to a different class, and no others', () => {
    for (const [rate, expected] of [
      [0, 0],
      [0.1, 100],
      [0.2, 200],
      [0.0015, 2],
      [1, 1000],
    ] as const) {
      const noisy = applyLabelNoise(labels, { rate, classes: 10, seed: 5 });
      expect(noisy.flipped.length).toBe(expected);
      const flipped = new Set(noisy.flipped);
      let changed = 0;
      noisy.labels.forEach((label, index) => {
        if (label !== labels[index]) changed++;
        expect(label !== labels[index]).toBe(flipped.has(index));
        expect(label).toBeLessThan(10);
      });
      expect(changed).toBe(expected);
    }
    expect(labels[0]).toBe(0); // input untouched
  });

  it('lists flipped positions in ascending order, deterministically by seed', () => {
    const first = applyLabelNoise(labels, { rate: 0.3, classes: 10, seed: 1 });
    const again = applyLabelNoise(labels, { rate: 0.3, classes: 10, seed: 1 });
    const other = applyLabelNoise(labels, { rate: 0.3, classes: 10, seed: 2 });
    expect(again).toEqual(first);
    expect(other.flipped).not.toEqual(first.flipped);
    expect(Array.from(first.flipped)).toEqual(Array.from(first.flipped).sort((a, b) => a - b));
  });

  it('draws the new class uniformly among the other classes', () => {
    const many = new Uint8Array(30_000); // all class 0
    const { labels: noisy } = applyLabelNoise(many, { rate: 1, classes: 4, seed: 9 });
    const counts = [0, 0, 0, 0];
    for (const label of noisy) counts[label]!++;
    expect(counts[0]).toBe(0);
    // Each of classes 1..3 expects 10,000 with standard deviation ~82; allow 5 of them.
    for (const count of counts.slice(1)) expect(Math.abs(count - 10_000)).toBeLessThan(410);
  });

  it('rejects a rate outside [0, 1], too few classes and out-of-range labels', () => {
    expect(() => applyLabelNoise(labels, { rate: 1.2, classes: 10, seed: 1 })).toThrow(
      'rate must be a number in [0, 1], got 1.2',
    );
    expect(() => applyLabelNoise(labels, { rate: 0.1, classes: 1, seed: 1 })).toThrow(/classes must be/);
    expect(() => applyLabelNoise([0, 5], { rate: 0.1, classes: 3, seed: 1 })).toThrow(/labels\[1\]/);
  });
});
