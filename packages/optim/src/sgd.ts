/**
 * Stochastic gradient descent with optional heavy-ball or Nesterov momentum and L2 weight decay, in
 * the convention of PyTorch's `torch.optim.SGD` (the velocity accumulates raw gradients and the
 * learning rate multiplies it), which is what the sharpness experiments' reference settings assume.
 */

import { OptionError, requireNumberInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { createGradientOptimizer, type GradientOptimizer, type OptimizerOptions } from './optimizer.js';

/** Options of {@link createSgd}. */
export interface SgdOptions extends OptimizerOptions {
  /** Momentum `mu` in [0, 1): `v = mu v + g`, `w -= lr v`. Default: `0` (plain SGD). */
  momentum?: number;
  /** Use Nesterov momentum, `w -= lr (g + mu v)`; needs `momentum > 0`. Default: `false`. */
  nesterov?: boolean;
  /** L2 penalty added to the gradient, `g += weightDecay w`. Default: `0`. */
  weightDecay?: number;
}

/**
 * Creates an SGD optimizer.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createSgd } from '@emerge/optim';
 *
 * // Plain SGD on (w - 3)^2: w <- w - 0.25 * 2 (w - 3) halves the distance to 3 each step.
 * const w = tf.variable(tf.scalar(1));
 * const optimizer = createSgd({ variables: new Map([['w', w]]), learningRate: 0.25 });
 * const loss = optimizer.minimize(() => tf.square(tf.sub(w, 3))); // => 4, the loss before the step
 * w.dataSync()[0]; // => 2
 * console.assert(loss === 4 && w.dataSync()[0] === 2);
 * ```
 */
export function createSgd(options: SgdOptions): GradientOptimizer {
  const momentum = requireNumberInRange('momentum', options.momentum ?? 0, 0, 1 - Number.EPSILON);
  const weightDecay = requireNumberInRange(
    'weightDecay',
    options.weightDecay ?? 0,
    0,
    Number.POSITIVE_INFINITY,
  );
  const nesterov = options.nesterov ?? false;
  if (nesterov && momentum === 0)
    throw new OptionError('momentum', 'greater than 0 when nesterov is true', 0);
  return createGradientOptimizer(options, ({ variable, gradient, learningRate, slot }) => {
    const decayed = weightDecay === 0 ? gradient : tf.add(gradient, tf.mul(variable, weightDecay));
    if (momentum === 0) return tf.sub(variable, tf.mul(decayed, learningRate));
    const velocity = slot('velocity');
    const updated = tf.add(tf.mul(velocity, momentum), decayed);
    velocity.assign(updated);
    const direction = nesterov ? tf.add(decayed, tf.mul(updated, momentum)) : updated;
    return tf.sub(variable, tf.mul(direction, learningRate));
  });
}
