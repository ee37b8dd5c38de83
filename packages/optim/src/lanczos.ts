/**
 * The Lanczos process on a symmetric operator: after k products it yields a k x k tridiagonal matrix
 * whose eigenvalues (Ritz values) approximate the extreme eigenvalues of the operator, and whose first
 * eigenvector components give the quadrature weights of stochastic Lanczos quadrature.
 */
import { createRandom, type Random, requireIntegerInRange } from '@emerge/core';
import { symmetricEigen } from './symmetric-eigen.js';
import {
  addScaled,
  dot,
  gaussianVector,
  type LinearOperator,
  normalize,
  orthogonalize,
} from './vector-math.js';

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** Number of operator products (the size of the tridiagonal matrix). Required, >= 1. */
  steps: number;
  /** Starting vector (normalized internally). Default: a Gaussian vector from `random`. */
  start?: Float64Array;
  /** Source of the default starting vector. Default: `createRandom(0)`. */
  random?: Random;
  /**
   * Re-orthogonalize every new vector against all previous ones (stores `steps` vectors; without it,
   * rounding creates spurious copies of converged eigenvalues). Default: `true`.
   */
  reorthogonalize?: boolean;
}

/** The result of {@link lanczos}. */
export interface LanczosResult {
  /** Diagonal of the tridiagonal matrix. */
  alpha: Float64Array;
  /** Off-diagonal of the tridiagonal matrix (length `alpha.length - 1`). */
  beta: Float64Array;
  /** Ritz values, descending. */
  ritzValues: Float64Array;
  /** Squared first components of the Ritz vectors (sum to 1): quadrature weights for the start vector. */
  ritzWeights: Float64Array;
  /** Ritz vectors in the operator's space (row i belongs to `ritzValues[i]`); only with re-orthogonalization. */
  ritzVectors?: Float64Array[];
}

/**
 * Runs `steps` Lanczos iterations (fewer if an invariant subspace is found).
 * @example
 * ```ts
 * import { createRandom } from '@emerge/core';
 * import { lanczos } from '@emerge/optim';
 *
 * // Any symmetric operator works; this one is diag(1, 2, ..., 100).
 * const operator = {
 *   dimension: 100,
 *   multiply: (vector: Float64Array) => vector.map((value, index) => value * (index + 1)),
 * };
 * const { ritzValues } = lanczos(operator, { steps: 30, random: createRandom(1) });
 * Math.max(...ritzValues); // => 100.0: the extreme eigenvalues converge first
 * console.assert(Math.abs(Math.max(...ritzValues) - 100) < 1e-3);
 * ```
 */
export function lanczos(operator: LinearOperator, options: LanczosOptions): LanczosResult {
  const steps = requireIntegerInRange('steps', options.steps, 1, operator.dimension);
  const reorthogonalize = options.reorthogonalize ?? true;
  const current = Float64Array.from(
    options.start ?? gaussianVector(operator.dimension, options.random ?? createRandom(0)),
  );
  if (normalize(current) === 0) throw new RangeError('lanczos: the start vector is zero');
  const alphas: number[] = [];
  const betas: number[] = [];
  const basis: Float64Array[] = [];
  let vector: Float64Array = current;
  let previous: Float64Array | undefined;
  let previousBeta = 0;
  for (let step = 0; step < steps; step++) {
    basis.push(vector);
    const next = operator.multiply(vector);
    if (previous !== undefined) addScaled(next, previous, -previousBeta);
    const alpha = dot(next, vector);
    addScaled(next, vector, -alpha);
    alphas.push(alpha);
    if (reorthogonalize) orthogonalize(next, basis);
    if (step === steps - 1) break;
    const beta = normalize(next);
    // An invariant subspace: the Ritz values are exact, stop.
    if (beta <= 1e-12 * Math.max(Math.abs(alpha), previousBeta, 1e-300)) break;
    betas.push(beta);
    previous = vector;
    previousBeta = beta;
    vector = next;
    if (!reorthogonalize) basis.length = 0;
  }
  const size = alphas.length;
  const tridiagonal = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    tridiagonal[i * size + i] = alphas[i] as number;
    if (i + 1 < size) {
      tridiagonal[i * size + i + 1] = betas[i] as number;
      tridiagonal[(i + 1) * size + i] = betas[i] as number;
    }
  }
  const { values, vectors } = symmetricEigen(tridiagonal, size);
  const ritzWeights = new Float64Array(size);
  for (let i = 0; i < size; i++) ritzWeights[i] = (vectors[i * size] as number) ** 2;
  const result: LanczosResult = {
    alpha: Float64Array.from(alphas),
    beta: Float64Array.from(betas),
    ritzValues: values,
    ritzWeights,
  };
  if (reorthogonalize) {
    result.ritzVectors = Array.from({ length: size }, (_, i) => {
      const ritz = new Float64Array(operator.dimension);
      basis.forEach((direction, k) => {
        addScaled(ritz, direction, vectors[i * size + k] as number);
      });
      return ritz;
    });
  }
  return result;
}
