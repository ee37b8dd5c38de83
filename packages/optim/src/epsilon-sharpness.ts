/**
 * Keskar et al.'s (2017) epsilon-sharpness: the largest relative rise of the loss within the box
 * `|z_i| <= epsilon (|theta_i| + 1)` around the parameters, in percent,
 * `100 (max f(theta + z) - f(theta)) / (1 + f(theta))` (their A = identity, full space).
 * Keskar et al. maximize with L-BFGS-B; here the maximization is projected sign-gradient ascent from a
 * random point of the box (the box is an L-infinity ball, where sign steps are the steepest ones).
 */

import { createRandom, type Random, requireIntegerInRange, requireNumberInRange } from '@emerge/core';
import type * as tf from '@tensorflow/tfjs';
import { assignFlat, flattenTensors, parameterLayout } from './flat-parameters.js';
import { computeGradients, disposeGradients } from './gradients.js';

/** Options of {@link epsilonSharpness}. */
export interface EpsilonSharpnessOptions {
  /** The variables (only trainable ones are perturbed). Required. */
  variables: ReadonlyMap<string, tf.Variable>;
  /** The loss, e.g. the mean training loss over a fixed set of examples. Required. */
  loss: () => tf.Scalar;
  /** Box size relative to `|theta_i| + 1`. Default: `1e-3` (Keskar et al. use 1e-3 and 5e-4). */
  epsilon?: number;
  /** Ascent steps (one gradient each). Default: `20`. */
  iterations?: number;
  /** Each ascent step moves `stepFraction` of the box half-width per coordinate. Default: `0.25`. */
  stepFraction?: number;
  /** Source of the random start in the box. Default: `createRandom(0)`. */
  random?: Random;
}

/** The result of {@link epsilonSharpness}. */
export interface EpsilonSharpnessResult {
  /** `100 (maximumLoss - baseLoss) / (1 + baseLoss)`. */
  sharpness: number;
  /** The loss at the parameters. */
  baseLoss: number;
  /** The largest loss found in the box. */
  maximumLoss: number;
}

/**
 * Measures epsilon-sharpness; the variables are restored exactly afterwards.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRandom } from '@emerge/core';
 * import { epsilonSharpness } from '@emerge/optim';
 *
 * // Two bowls with the same minimum value: the steeper one is sharper.
 * const w = tf.variable(tf.tensor1d([0.5, 0.5]));
 * const variables = new Map([['w', w]]);
 * const bowl = (curvature: number) => () => tf.add(1, tf.mul(curvature, tf.sum(tf.square(w)))) as tf.Scalar;
 * const flat = epsilonSharpness({ variables, loss: bowl(1), random: createRandom(1) });
 * const sharp = epsilonSharpness({ variables, loss: bowl(10), random: createRandom(1) });
 * console.assert(sharp.sharpness > flat.sharpness);
 * console.assert(w.dataSync()[0] === 0.5); // the variables are restored
 * ```
 */
export function epsilonSharpness(options: EpsilonSharpnessOptions): EpsilonSharpnessResult {
  const { variables, loss } = options;
  const epsilon = requireNumberInRange('epsilon', options.epsilon ?? 1e-3, 0, Number.POSITIVE_INFINITY);
  const iterations = requireIntegerInRange(
    'iterations',
    options.iterations ?? 20,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const stepFraction = requireNumberInRange('stepFraction', options.stepFraction ?? 0.25, 0, 2);
  const random = options.random ?? createRandom(0);
  const layout = parameterLayout(variables);
  const theta = flattenTensors(variables, layout);
  const bounds = theta.map((value) => epsilon * (Math.abs(value) + 1));
  const offset = bounds.map((bound) => bound * (2 * random.uniform() - 1));
  const point = new Float64Array(layout.size);
  let baseLoss = Number.NaN;
  let maximumLoss = Number.NEGATIVE_INFINITY;
  try {
    baseLoss = evaluateLoss(loss);
    for (let iteration = 0; iteration <= iterations; iteration++) {
      for (let index = 0; index < point.length; index++)
        point[index] = (theta[index] as number) + (offset[index] as number);
      assignFlat(variables, layout, point);
      if (iteration === iterations) {
        maximumLoss = Math.max(maximumLoss, evaluateLoss(loss));
        break;
      }
      const { loss: value, gradients } = computeGradients(variables, loss);
      maximumLoss = Math.max(maximumLoss, value);
      const gradient = flattenTensors(gradients, layout);
      disposeGradients(gradients);
      for (let index = 0; index < offset.length; index++) {
        const bound = bounds[index] as number;
        const moved = (offset[index] as number) + stepFraction * bound * Math.sign(gradient[index] as number);
        offset[index] = Math.min(bound, Math.max(-bound, moved));
      }
    }
  } finally {
    assignFlat(variables, layout, theta);
  }
  return { sharpness: (100 * (maximumLoss - baseLoss)) / (1 + baseLoss), baseLoss, maximumLoss };
}

function evaluateLoss(loss: () => tf.Scalar): number {
  const value = loss();
  const result = value.dataSync()[0] as number;
  value.dispose();
  return result;
}
