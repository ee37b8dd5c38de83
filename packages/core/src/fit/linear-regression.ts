import { requirePoints } from './validate-points.js';

/** A least-squares line `y = intercept + slope * x` and how much of y's variance it explains. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination, 1 - SS_residual / SS_total (1 when y is constant and fitted exactly). */
  readonly rSquared: number;
}

/**
 * Ordinary least squares of `y` on `x` (with intercept).
 * @throws OptionError for fewer than 2 points, unequal lengths, non-finite values or constant x.
 * @example
 * ```ts
 * import { linearRegression } from '@emerge/core';
 *
 * linearRegression([0, 1, 2], [1, 3, 5]); // => { slope: 2, intercept: 1, rSquared: 1 }
 * const { slope, intercept, rSquared } = linearRegression([0, 1, 2], [1, 3, 5]);
 * console.assert(slope === 2 && intercept === 1 && rSquared === 1);
 * ```
 */
export function linearRegression(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  requirePoints(x, y, 2);
  const count = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let index = 0; index < count; index++) {
    meanX += (x[index] as number) / count;
    meanY += (y[index] as number) / count;
  }
  let sxx = 0;
  let sxy = 0;
  for (let index = 0; index < count; index++) {
    const dx = (x[index] as number) - meanX;
    sxx += dx * dx;
    sxy += dx * ((y[index] as number) - meanY);
  }
  if (sxx === 0) throw new RangeError('linear regression needs at least two distinct x values');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  return {
    slope,
    intercept,
    rSquared: coefficientOfDetermination(y, (index) => intercept + slope * (x[index] as number)),
  };
}

/**
 * R^2 of predictions against observations: 1 - SS_residual / SS_total.
 * @example
 * ```ts
 * import { coefficientOfDetermination } from '@emerge/core';
 *
 * const observed = [1, 2, 3, 4];
 * coefficientOfDetermination(observed, (index) => observed[index]!); // => 1, a perfect prediction
 * coefficientOfDetermination(observed, () => 2.5); // => 0, no better than the mean
 * console.assert(coefficientOfDetermination(observed, () => 2.5) === 0);
 * ```
 */
export function coefficientOfDetermination(
  observed: ArrayLike<number>,
  predict: (index: number) => number,
): number {
  const count = observed.length;
  let mean = 0;
  for (let index = 0; index < count; index++) mean += (observed[index] as number) / count;
  let residual = 0;
  let total = 0;
  for (let index = 0; index < count; index++) {
    const value = observed[index] as number;
    residual += (value - predict(index)) ** 2;
    total += (value - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : Number.NEGATIVE_INFINITY;
  return 1 - residual / total;
}
