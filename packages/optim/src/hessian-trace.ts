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
 * const { estimate, standardError } = hutchinsonTrace(hessian, { samples: 50, random: createRandom(2) });
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
