import { describe, expect, it } from 'vitest';
import { averageRanks, spearman } from './spearman.js';

/** Pearson correlation written out independently, to check Spearman as Pearson-on-ranks. */
function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const meanA = a.reduce((s, v) => s + v, 0) / n;
  const meanB = b.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - meanA) * (b[i]! - meanB);
    da += (a[i]! - meanA) ** 2;
    db += (b[i]! - meanB) ** 2;
  }
  return num / Math.sqrt(da * db);
}

describe('averageRanks', () => {
  it('gives ties the mean of the ranks they span', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 1, 3])).toEqual([2.5, 1, 2.5]);
    expect(averageRanks([5, 5, 5])).toEqual([2, 2, 2]);
    expect(averageRanks([0.3, -1, 7, 2])).toEqual([2, 1, 4, 3]);
  });
});

describe('spearman', () => {
  it('matches 1 - 6 sum d^2 / (n (n^2 - 1)) without ties', () => {
    // ranks of y: 1, 3, 2, 4 -> d = 0, -1, 1, 0 -> 1 - 6 * 2 / 60 = 0.8
    expect(spearman([1, 2, 3, 4], [10, 20, 15, 40])).toBeCloseTo(0.8, 12);
    expect(spearman([1, 2, 3, 4, 5], [50, 40, 30, 20, 10])).toBeCloseTo(-1, 12);
    // Any monotone transform gives 1.
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 1000])).toBeCloseTo(1, 12);
  });

  it('handles ties as the Pearson correlation of average ranks', () => {
    const x = [1, 2, 2, 3, 4];
    const y = [2, 1, 4, 4, 5];
    // ranks x: 1, 2.5, 2.5, 4, 5; ranks y: 2, 1, 3.5, 3.5, 5. Hand-worked: deviations from 3 are
    // x: -2, -0.5, -0.5, 1, 2 and y: -1, -2, 0.5, 0.5, 2 -> Sxy 2+1-0.25+0.5+4 = 7.25, Sxx 9.5, Syy 9.5.
    expect(spearman(x, y)).toBeCloseTo(7.25 / 9.5, 12);
    expect(spearman(x, y)).toBeCloseTo(pearson([1, 2.5, 2.5, 4, 5], [2, 1, 3.5, 3.5, 5]), 12);
  });

  it('is NaN for a constant variable and rejects bad input', () => {
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNaN();
    expect(() => spearman([1], [2])).toThrow('x.length must be at least 2, got 1');
    expect(() => spearman([1, Number.NaN], [2, 3])).toThrow(/x\[1\] must be a finite number/);
  });
});
