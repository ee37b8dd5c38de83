import { requirePoints } from './validate-points.js';

/**
 * Ranks from 1 to n, ties sharing the average of the ranks they span (so [10, 20, 20, 30] ranks as
 * [1, 2.5, 2.5, 4]).
 * @example
 * ```ts
 * import { averageRanks } from '@emerge/core';
 *
 * averageRanks([3, 1, 3]); // => [2.5, 1, 2.5]: ties share the mean of their ranks
 * console.assert(averageRanks([3, 1, 3]).join() === '2.5,1,2.5');
 * ```
 */
export function averageRanks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, index) => index).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1] as number] === values[order[start] as number])
      end++;
    // Positions start..end (0-based) hold ranks start+1..end+1; each gets their mean.
    const shared = (start + end) / 2 + 1;
    for (let position = start; position <= end; position++) ranks[order[position] as number] = shared;
    start = end + 1;
  }
  return ranks;
}

/**
 * Spearman's rank correlation: the Pearson correlation of the average ranks of x and of y, so ties are
 * handled exactly; NaN when either variable is constant (no ordering to correlate).
 * @throws OptionError for fewer than 2 points, unequal lengths or non-finite values.
 * @example
 * ```ts
 * import { spearman } from '@emerge/core';
 *
 * spearman([1, 2, 3, 4], [10, 20, 15, 40]); // => 0.8
 * console.assert(Math.abs(spearman([1, 2, 3, 4], [10, 20, 15, 40]) - 0.8) < 1e-12);
 * ```
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  requirePoints(x, y, 2);
  const rankX = averageRanks(x);
  const rankY = averageRanks(y);
  const mean = (rankX.length + 1) / 2; // average ranks always average to (n + 1) / 2
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let index = 0; index < rankX.length; index++) {
    const dx = (rankX[index] as number) - mean;
    const dy = (rankY[index] as number) - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
