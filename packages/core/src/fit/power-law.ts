import { coefficientOfDetermination, linearRegression } from './linear-regression.js';
import { requirePoints } from './validate-points.js';

/** The parameters of `y = offset + amplitude * x^-exponent`, and the fit's R^2 measured on y itself. */
export interface PowerLawFit {
  /** The irreducible part E, in [0, min y). */
  readonly offset: number;
  /** The amplitude A. */
  readonly amplitude: number;
  /** The decay exponent alpha (positive for a decreasing curve). */
  readonly exponent: number;
  /** 1 - SS_residual / SS_total of the fitted curve against y (not against log y). */
  readonly rSquared: number;
}

const GRID_POINTS = 200;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Fits `y = E + A * x^-alpha`, the form of data- and compute-scaling laws (Kaplan et al. 2020). For a
 * given E the rest is a straight line in log-log space (`log(y - E) = log A - alpha log x`), so the fit
 * searches E alone: a grid over [0, min y) and then golden-section refinement around the best grid point,
 * each E scored by its squared error on y.
 * @throws OptionError for fewer than 3 points or values that are not positive.
 * @example
 * ```ts
 * import { fitPowerLaw } from '@emerge/core';
 *
 * // Losses that follow 1.5 + 8 * D^-0.3 exactly.
 * const datasetSizes = [1e3, 4e3, 1.6e4, 6.4e4, 2.56e5];
 * const losses = datasetSizes.map((size) => 1.5 + 8 * size ** -0.3);
 * const { offset, exponent, rSquared } = fitPowerLaw(datasetSizes, losses);
 * // => offset ≈ 1.5, exponent ≈ 0.3, rSquared ≈ 1
 * console.assert(Math.abs(exponent - 0.3) < 0.01 && Math.abs(offset - 1.5) < 0.01 && rSquared > 0.999);
 * ```
 */
export function fitPowerLaw(x: ArrayLike<number>, y: ArrayLike<number>): PowerLawFit {
  requirePoints(x, y, 3, { x: true, y: true });
  const logX = Array.from(x, Math.log);
  const smallestY = Math.min(...Array.from(y));
  const fitAt = (offset: number): PowerLawFit => {
    const line = linearRegression(
      logX,
      Array.from(y, (value) => Math.log(value - offset)),
    );
    const amplitude = Math.exp(line.intercept);
    const exponent = -line.slope;
    const rSquared = coefficientOfDetermination(
      y,
      (index) => offset + amplitude * (x[index] as number) ** -exponent,
    );
    return { offset, amplitude, exponent, rSquared };
  };

  // E must stay below min y so that every log(y - E) exists; the grid stops one step short of it.
  const step = smallestY / GRID_POINTS;
  let best = fitAt(0);
  let bestIndex = 0;
  for (let index = 1; index < GRID_POINTS; index++) {
    const candidate = fitAt(index * step);
    if (candidate.rSquared > best.rSquared) {
      best = candidate;
      bestIndex = index;
    }
  }
  let low = Math.max(0, (bestIndex - 1) * step);
  let high = Math.min(smallestY * (1 - 1e-12), (bestIndex + 1) * step);
  let left = high - GOLDEN * (high - low);
  let right = low + GOLDEN * (high - low);
  let leftFit = fitAt(left);
  let rightFit = fitAt(right);
  for (let iteration = 0; iteration < 100 && high - low > 1e-14 * smallestY; iteration++) {
    if (leftFit.rSquared >= rightFit.rSquared) {
      high = right;
      right = left;
      rightFit = leftFit;
      left = high - GOLDEN * (high - low);
      leftFit = fitAt(left);
    } else {
      low = left;
      left = right;
      leftFit = rightFit;
      right = low + GOLDEN * (high - low);
      rightFit = fitAt(right);
    }
  }
  for (const candidate of [leftFit, rightFit]) if (candidate.rSquared > best.rSquared) best = candidate;
  return best;
}
