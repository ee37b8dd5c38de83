import { type LinearFit, linearRegression } from './linear-regression.js';
import { requirePoints } from './validate-points.js';

/**
 * The least-squares slope of `log y` on `log x` (natural logs), i.e. the exponent `b` of `y ~ a x^b`;
 * `intercept` is `log a` and `rSquared` is measured in log-log space.
 * @throws OptionError for fewer than 2 points or values that are not positive.
 * @example
 * ```ts
 * import { logLogSlope } from '@emerge/core';
 *
 * logLogSlope([1, 2, 4], [3, 12, 48]).slope; // => 2 (y = 3 x^2)
 * console.assert(Math.abs(logLogSlope([1, 2, 4], [3, 12, 48]).slope - 2) < 1e-12);
 * ```
 */
export function logLogSlope(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  requirePoints(x, y, 2, { x: true, y: true });
  return linearRegression(Array.from(x, Math.log), Array.from(y, Math.log));
}
