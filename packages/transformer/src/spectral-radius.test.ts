import { createRandom } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { spectralRadius } from './spectral-radius.js';

describe('spectralRadius', () => {
  it('finds the radius of matrices with known eigenvalues', () => {
    expect(spectralRadius([3], 1)).toBeCloseTo(3, 10);
    expect(spectralRadius([0.5, 0, 0, -2], 2)).toBeCloseTo(2, 8);
    expect(spectralRadius([0.6, -0.8, 0.8, 0.6], 2)).toBeCloseTo(1, 8); // a rotation: eigenvalues e^{±iθ}
    expect(spectralRadius([1.2, 5, 0, 0.3], 2)).toBeCloseTo(1.2, 6); // triangular, far from normal
    expect(spectralRadius([0, 1, 0, 0], 2)).toBe(0); // nilpotent
  });

  it('matches a similarity transform S D S⁻¹ of a known complex spectrum', () => {
    // A = S B S⁻¹ with B = blockdiag(1.5·rotation, 0.7, -1.1): radius 1.5, from a complex pair.
    const c = 1.5 * Math.cos(1),
      s = 1.5 * Math.sin(1);
    const block = [
      [c, -s, 0, 0],
      [s, c, 0, 0],
      [0, 0, 0.7, 0],
      [0, 0, 0, -1.1],
    ];
    const shear = [
      [1, 2, 0, 0],
      [0, 1, 0.5, 0],
      [0, 0, 1, 3],
      [0, 0, 0, 1],
    ];
    const inverse = [
      [1, -2, 1, -3],
      [0, 1, -0.5, 1.5],
      [0, 0, 1, -3],
      [0, 0, 0, 1],
    ];
    const times = (a: number[][], b: number[][]) =>
      a.map((row) =>
        (b[0] ?? []).map((_, j) => row.reduce((sum, value, k) => sum + value * (b[k]?.[j] ?? 0), 0)),
      );
    const matrix = times(times(shear, block), inverse);
    expect(spectralRadius(matrix.flat(), 4)).toBeCloseTo(1.5, 6);
  });

  it('gives about 1 for an N(0, 1/n) random matrix (circular law) and rejects a bad size', () => {
    const random = createRandom(1);
    const size = 120;
    const values = Array.from({ length: size * size }, () => random.normal() / Math.sqrt(size));
    expect(spectralRadius(values, size)).toBeGreaterThan(0.9);
    expect(spectralRadius(values, size)).toBeLessThan(1.1);
    expect(() => spectralRadius([1, 2, 3], 2)).toThrow(/size/);
  });
});
