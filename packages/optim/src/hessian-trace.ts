/**
 * Hutchinson's trace estimator: `trace(H) = E[v^T H v]` for random vectors with independent +-1 entries.
 */
import { createRandom, type Random, requireIntegerInRange } from '@emerge/core';
import { dot, type LinearOperator, rademacherVector } from './vector-math.js';

/** Options of {@link hutchinsonTrace}. */
export interface HutchinsonTraceOptions {
  /** Number of random probes. Default: `100`. */
  samples?: number;
  /** Source of the probes. Default: `createRandom(0)`. */
  random?: Random;
}

/** The result of {@link hutchinsonTrace}. */
export interface HutchinsonTraceResult {
  /** The mean of the per-probe estimates. */
  estimate: number;
  /** Standard error of the mean (sample standard deviation over sqrt(samples)). */
  standardError: number;
  /** Each probe's `v^T H v`. */
  samples: number[];
}

/**
 * Estimates the trace of a symmetric operator (for a Hessian: the sum of curvatures).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRandom } from '@emerge/core';
 * import { createHessianOperator, hutchinsonTrace } from '@emerge/optim';
 *
 * // loss = w0^2 + 3 w1^2 has Hessian diag(2, 6), trace 8.
 * const w = tf.variable(tf.tensor1d([1, 1]));
 * const hessian = createHessianOperator({
 *   variables: new Map([['w', w]]),
 *   loss: () => tf.sum(tf.mul(tf.tensor1d([1, 3]), tf.square(w))) as tf.Scalar,
 * });
 * const { estimate, standardError } = hutchinsonTrace(hessian, { samples: 50, random: createRandom(2) });
 * estimate; // => 8.00 (exact for a diagonal Hessian, up to finite-difference rounding)
 * console.assert(Math.abs(estimate - 8) < 0.01 && standardError < 0.01);
 * ```
 */
export function hutchinsonTrace(
  operator: LinearOperator,
  options: HutchinsonTraceOptions = {},
): HutchinsonTraceResult {
  const count = requireIntegerInRange('samples', options.samples ?? 100, 1, Number.MAX_SAFE_INTEGER);
  const random = options.random ?? createRandom(0);
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const probe = rademacherVector(operator.dimension, random);
    samples.push(dot(probe, operator.multiply(probe)));
  }
  const estimate = samples.reduce((sum, value) => sum + value, 0) / count;
  const variance =
    count > 1 ? samples.reduce((sum, value) => sum + (value - estimate) ** 2, 0) / (count - 1) : Number.NaN;
  return { estimate, standardError: Math.sqrt(variance / count), samples };
}
