/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019). They differ only in weight decay: Adam's
 * is an L2 term added to the gradient, so it is rescaled by the adaptive denominator; AdamW's shrinks
 * the weights directly, `w -= lr * weightDecay * w`, independent of the gradient statistics — the
 * decoupling that makes grokking happen.
 */

import { hasFloat32Kernel, requireNumberInRange, runFloat32Kernel } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { ADAM_STEP_KERNEL, type AdamStepAttributes, registerAdamStepKernel } from './adam-kernel.js';
import {
  createGradientOptimizer,
  type GradientOptimizer,
  type OptimizerOptions,
  type UpdateRule,
} from './optimizer.js';

/** Options of {@link createAdam} and {@link createAdamW}. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first-moment average. Default: `0.9`. */
  beta1?: number;
  /** Decay of the second-moment average. Default: `0.999`. */
  beta2?: number;
  /** Added to the root of the second moment. Default: `1e-8`. */
  epsilon?: number;
  /**
   * Weight decay: an L2 gradient term for {@link createAdam} (default `0`), decoupled shrinkage for
   * {@link createAdamW} (default `0.01`, as in PyTorch).
   */
  weightDecay?: number;
}

/**
 * Creates an Adam optimizer (weight decay, if any, as an L2 term in the gradient).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createAdam } from '@emerge/optim';
 *
 * // Minimize (w - 3)^2 from w = 0.
 * const w = tf.variable(tf.scalar(0));
 * const optimizer = createAdam({ variables: new Map([['w', w]]), learningRate: 0.1 });
 * for (let step = 0; step < 200; step++) optimizer.minimize(() => tf.square(tf.sub(w, 3)));
 * w.dataSync()[0]; // => 3.00
 * console.assert(Math.abs(w.dataSync()[0]! - 3) < 0.05);
 * ```
 */
export function createAdam(options: AdamOptions): GradientOptimizer {
  return createGradientOptimizer(options, adamRule(options, 'coupled', 0));
}

/**
 * Creates an AdamW optimizer (decoupled weight decay).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createAdamW } from '@emerge/optim';
 *
 * // With a zero gradient, decoupled weight decay alone shrinks w by (1 - learningRate * weightDecay) per step.
 * const w = tf.variable(tf.scalar(1));
 * const optimizer = createAdamW({ variables: new Map([['w', w]]), learningRate: 0.1, weightDecay: 1 });
 * optimizer.minimize(() => tf.mul(w, 0));
 * w.dataSync()[0]; // => 0.9
 * console.assert(Math.abs(w.dataSync()[0]! - 0.9) < 1e-6);
 * ```
 */
export function createAdamW(options: AdamOptions): GradientOptimizer {
  return createGradientOptimizer(options, adamRule(options, 'decoupled', 0.01));
}

function adamRule(
  options: AdamOptions,
  decay: 'coupled' | 'decoupled',
  defaultWeightDecay: number,
): UpdateRule {
  const beta1 = requireNumberInRange('beta1', options.beta1 ?? 0.9, 0, 1 - Number.EPSILON);
  const beta2 = requireNumberInRange('beta2', options.beta2 ?? 0.999, 0, 1 - Number.EPSILON);
  const epsilon = requireNumberInRange('epsilon', options.epsilon ?? 1e-8, 0, Number.POSITIVE_INFINITY);
  const weightDecay = requireNumberInRange(
    'weightDecay',
    options.weightDecay ?? defaultWeightDecay,
    0,
    Number.POSITIVE_INFINITY,
  );
  registerAdamStepKernel();
  const decoupled = decay === 'decoupled';
  return ({ variable, gradient, learningRate, step, slot }) => {
    const firstMoment = slot('firstMoment');
    const secondMoment = slot('secondMoment');
    if (hasFloat32Kernel(ADAM_STEP_KERNEL) && gradient.dtype === 'float32') {
      // One fused kernel per variable, equal bit for bit to the composed ops below (adam-kernel.ts).
      const attributes: AdamStepAttributes = {
        beta1,
        beta2,
        epsilon,
        weightDecay,
        decoupled,
        learningRate,
        step,
      };
      const [value, first, second] = runFloat32Kernel(
        ADAM_STEP_KERNEL,
        { variable, gradient, firstMoment, secondMoment },
        attributes,
      );
      firstMoment.assign(first as tf.Tensor);
      secondMoment.assign(second as tf.Tensor);
      return value as tf.Tensor;
    }
    const coupled = !decoupled && weightDecay > 0;
    const effectiveGradient = coupled ? tf.add(gradient, tf.mul(variable, weightDecay)) : gradient;
    const first = tf.add(tf.mul(firstMoment, beta1), tf.mul(effectiveGradient, 1 - beta1));
    const second = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(effectiveGradient), 1 - beta2));
    firstMoment.assign(first);
    secondMoment.assign(second);
    // Bias corrections in float64 on the CPU, folded into one step size.
    const stepSize = learningRate / (1 - beta1 ** step);
    const denominator = tf.add(tf.sqrt(tf.div(second, 1 - beta2 ** step)), epsilon);
    const shrunk = decoupled && weightDecay > 0 ? tf.mul(variable, 1 - learningRate * weightDecay) : variable;
    return tf.sub(shrunk, tf.mul(tf.div(first, denominator), stepSize));
  };
}
