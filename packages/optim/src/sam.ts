/**
 * Sharpness-aware minimization (Foret et al. 2021): take the gradient at the worst nearby point
 * `w + radius * g / |g|` and apply it at `w` with any base optimizer. It needs the loss twice per step,
 * so it only offers `minimize`.
 */

import { requireNumberInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { computeGradients, disposeGradients, globalNorm } from './gradients.js';
import type { GradientOptimizer, Optimizer } from './optimizer.js';

/** Options of {@link createSam}. */
export interface SamOptions {
  /** The optimizer that applies the sharpness-aware gradient; SAM owns it and disposes it. Required. */
  base: GradientOptimizer;
  /** Neighbourhood radius `rho` of the ascent step. Default: `0.05` (Foret et al.). */
  radius?: number;
}

/**
 * Wraps a base optimizer into SAM.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createSam, createSgd } from '@emerge/optim';
 *
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const variables = new Map([['w', w]]);
 * const sam = createSam({ base: createSgd({ variables, learningRate: 0.05, momentum: 0.9 }), radius: 0.05 });
 * const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
 * const first = sam.minimize(loss);
 * for (let step = 0; step < 100; step++) sam.minimize(loss);
 * console.assert(sam.minimize(loss) < first / 10);
 * ```
 */
export function createSam(options: SamOptions): Optimizer {
  const { base } = options;
  const radius = requireNumberInRange('radius', options.radius ?? 0.05, 0, Number.POSITIVE_INFINITY);
  const { variables } = base;
  return {
    variables,
    get iterations() {
      return base.iterations;
    },
    currentLearningRate: () => base.currentLearningRate(),
    minimize(loss) {
      const { loss: value, gradients } = computeGradients(variables, loss);
      const norm = globalNorm(gradients);
      const originals = new Map<string, tf.Tensor>();
      for (const [name, gradient] of gradients) {
        const variable = variables.get(name) as tf.Variable;
        originals.set(name, tf.clone(variable));
        tf.tidy(() => {
          variable.assign(tf.add(variable, tf.mul(gradient, radius / (norm + 1e-12))));
        });
      }
      disposeGradients(gradients);
      let sharpGradients: Map<string, tf.Tensor> | undefined;
      try {
        sharpGradients = computeGradients(variables, loss).gradients;
      } finally {
        for (const [name, original] of originals) {
          (variables.get(name) as tf.Variable).assign(original);
          original.dispose();
        }
      }
      try {
        base.applyGradients(sharpGradients);
      } finally {
        disposeGradients(sharpGradients);
      }
      return value;
    },
    dispose: () => base.dispose(),
  };
}
