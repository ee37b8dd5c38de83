/**
 * Gradients of a scalar loss with respect to named variables, and global-norm clipping.
 */

import { requireNumberInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';

/** Gradients keyed by the same names as the variables they belong to. */
export type NamedGradients = ReadonlyMap<string, tf.Tensor>;

/** The result of {@link computeGradients}; the caller owns (and disposes) the gradient tensors. */
export interface LossAndGradients {
  /** The loss value. */
  loss: number;
  /** One gradient per trainable variable, keyed like the variables. */
  gradients: Map<string, tf.Tensor>;
}

/**
 * The value and gradients of `loss` with respect to the trainable variables of `variables`. Variables
 * that are not trainable, or do not influence the loss, get a zero gradient.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { computeGradients, disposeGradients } from '@emerge/optim';
 *
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * // loss = w0^2 + w1^2, gradient 2w.
 * const { loss, gradients } = computeGradients(new Map([['w', w]]), () => tf.sum(tf.square(w)) as tf.Scalar);
 * loss; // => 5
 * gradients.get('w')!.arraySync(); // => [2, 4]
 * console.assert(loss === 5 && gradients.get('w')!.arraySync().join() === '2,4');
 * disposeGradients(gradients); // the caller owns the gradient tensors
 * ```
 */
export function computeGradients(
  variables: ReadonlyMap<string, tf.Variable>,
  loss: () => tf.Scalar,
): LossAndGradients {
  const entries = [...variables].filter(([, variable]) => variable.trainable);
  const { value, grads } = tf.variableGrads(
    loss,
    entries.map(([, variable]) => variable),
  );
  const lossValue = value.dataSync()[0] as number;
  value.dispose();
  const gradients = new Map<string, tf.Tensor>();
  for (const [name, variable] of entries) {
    gradients.set(name, grads[variable.name] ?? tf.zerosLike(variable));
  }
  return { loss: lossValue, gradients };
}

/**
 * Disposes every tensor of a gradient map.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { computeGradients, disposeGradients } from '@emerge/optim';
 *
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const before = tf.memory().numTensors;
 * const { gradients } = computeGradients(new Map([['w', w]]), () => tf.sum(tf.square(w)) as tf.Scalar);
 * disposeGradients(gradients);
 * tf.memory().numTensors - before; // => 0: nothing leaked
 * console.assert(tf.memory().numTensors === before);
 * ```
 */
export function disposeGradients(gradients: NamedGradients): void {
  for (const gradient of gradients.values()) gradient.dispose();
}

/**
 * The Euclidean norm of all gradients taken together, as a number.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { globalNorm } from '@emerge/optim';
 *
 * globalNorm(new Map([['a', tf.tensor1d([3])], ['b', tf.tensor1d([4])]])); // => 5
 * console.assert(globalNorm(new Map([['a', tf.tensor1d([3])], ['b', tf.tensor1d([4])]])) === 5);
 * ```
 */
export function globalNorm(gradients: NamedGradients): number {
  const squared = tf.tidy(() =>
    tf.addN([...gradients.values()].map((gradient) => tf.sum(tf.square(gradient)))),
  );
  const value = Math.sqrt(squared.dataSync()[0] as number);
  squared.dispose();
  return value;
}

/** The result of {@link clipByGlobalNorm}. */
export interface ClippedGradients {
  /** New tensors (owned by the caller), scaled so that their global norm is at most `maxNorm`. */
  gradients: Map<string, tf.Tensor>;
  /** The global norm before clipping. */
  norm: number;
}

/**
 * Global-norm clipping (Pascanu et al. 2013): when the joint norm of all gradients exceeds `maxNorm`,
 * every gradient is scaled by `maxNorm / norm`, which keeps the update's direction. Returns new tensors
 * and leaves the input untouched.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { clipByGlobalNorm, disposeGradients } from '@emerge/optim';
 *
 * const gradients = new Map([['w', tf.tensor1d([3, 4])]]); // norm 5
 * const { gradients: clipped, norm } = clipByGlobalNorm(gradients, 1);
 * norm; // => 5
 * clipped.get('w')!.arraySync(); // => [0.6, 0.8]: same direction, norm 1
 * console.assert(norm === 5 && Math.abs(clipped.get('w')!.arraySync()[0]! - 0.6) < 1e-6);
 * disposeGradients(clipped);
 * ```
 */
export function clipByGlobalNorm(gradients: NamedGradients, maxNorm: number): ClippedGradients {
  requireNumberInRange('maxNorm', maxNorm, 0, Number.POSITIVE_INFINITY);
  const norm = globalNorm(gradients);
  const scale = norm > maxNorm ? maxNorm / norm : 1;
  const clipped = new Map<string, tf.Tensor>();
  for (const [name, gradient] of gradients)
    clipped.set(
      name,
      tf.tidy(() => tf.mul(gradient, scale)),
    );
  return { gradients: clipped, norm };
}
