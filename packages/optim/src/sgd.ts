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
 * const optimizer = createSgd({ variables: model.variables, learningRate: 0.05, momentum: 0.9 });
 * const loss = optimizer.minimize(() => model.loss(images, labels));
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
