/**
 * The top eigenvalues of a symmetric operator (the sharpness of a minimum is the top Hessian
 * eigenvalue), by power iteration with deflation or by Lanczos.
 */
import { createRandom, type Random, requireIntegerInRange, requireNumberInRange } from '@emerge/core';
import { lanczos } from './lanczos.js';
import { dot, gaussianVector, type LinearOperator, normalize, orthogonalize } from './vector-math.js';

/** Options of {@link topEigenvalues}. */
export interface TopEigenvaluesOptions {
  /** How many eigenvalues. Default: `1`. */
  count?: number;
  /**
   * `power`: power iteration, each eigenvector deflated by projection before the next (largest
   * magnitude first). `lanczos`: Ritz values of one Lanczos run (largest algebraic first; far fewer
   * products for several eigenvalues). Default: `power`.
   */
  method?: 'power' | 'lanczos';
  /** Power: products per eigenvalue at most. Lanczos: the number of steps. Default: `100` / `max(3 count + 10, 20)`. */
  iterations?: number;
  /** Power: stop when the Rayleigh quotient changes by less than this, relatively. Default: `1e-4`. */
  tolerance?: number;
  /** Source of the random start vectors. Default: `createRandom(0)`. */
  random?: Random;
}

/** The result of {@link topEigenvalues}. */
export interface TopEigenvaluesResult {
  /** Eigenvalue estimates, in the order found. */
  values: number[];
  /** Unit eigenvector estimates. */
  vectors: Float64Array[];
  /** Operator products spent. */
  products: number;
}

/**
 * The top `count` eigenvalues and eigenvectors of a symmetric operator, e.g. a Hessian.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRandom } from '@emerge/core';
 * import { createHessianOperator, topEigenvalues } from '@emerge/optim';
 *
 * // loss = w0^2 + 3 w1^2 + 5 w2^2 has Hessian diag(2, 6, 10).
 * const w = tf.variable(tf.tensor1d([1, 1, 1]));
 * const loss = () => tf.sum(tf.mul(tf.tensor1d([1, 3, 5]), tf.square(w))) as tf.Scalar;
 * const hessian = createHessianOperator({ variables: new Map([['w', w]]), loss });
 * const { values } = topEigenvalues(hessian, { count: 2, random: createRandom(1) });
 * values; // => [10.00, 6.00]
 * console.assert(Math.abs(values[0]! - 10) < 0.01 && Math.abs(values[1]! - 6) < 0.01);
 * ```
 */
export function topEigenvalues(
  operator: LinearOperator,
  options: TopEigenvaluesOptions = {},
): TopEigenvaluesResult {
  const count = requireIntegerInRange('count', options.count ?? 1, 1, operator.dimension);
  const random = options.random ?? createRandom(0);
  if ((options.method ?? 'power') === 'lanczos') {
    const steps = requireIntegerInRange(
      'iterations',
      options.iterations ?? Math.min(operator.dimension, Math.max(3 * count + 10, 20)),
      count,
      operator.dimension,
    );
    const result = lanczos(operator, { steps, random });
    return {
      values: Array.from(result.ritzValues.subarray(0, count)),
      vectors: (result.ritzVectors ?? []).slice(0, count),
      products: result.alpha.length,
    };
  }
  const maximumIterations = requireIntegerInRange(
    'iterations',
    options.iterations ?? 100,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const tolerance = requireNumberInRange('tolerance', options.tolerance ?? 1e-4, 0, 1);
  const values: number[] = [];
  const vectors: Float64Array[] = [];
  let products = 0;
  for (let index = 0; index < count; index++) {
    let vector = gaussianVector(operator.dimension, random);
    orthogonalize(vector, vectors);
    normalize(vector);
    let value = Number.NaN;
    for (let iteration = 0; iteration < maximumIterations; iteration++) {
      const product = operator.multiply(vector);
      products++;
      orthogonalize(product, vectors);
      const quotient = dot(vector, product);
      if (normalize(product) === 0) {
        value = 0;
        break;
      }
      vector = product;
      const converged = Math.abs(quotient - value) <= tolerance * Math.abs(quotient);
      value = quotient;
      if (converged) break;
    }
    values.push(value);
    vectors.push(vector);
  }
  return { values, vectors, products };
}
