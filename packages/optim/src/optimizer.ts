/**
 * The optimizer contract and the shared machinery behind every update rule: learning-rate schedule,
 * optional global-norm clipping, lazily created per-variable state ("slots"), and tensor hygiene.
 */

import { OptionError, requireNumberInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm, computeGradients, disposeGradients, type NamedGradients } from './gradients.js';
import { type Schedule, toSchedule } from './schedules.js';

/** Something that trains named variables one step at a time. */
export interface Optimizer {
  /** The variables it updates (only the trainable ones are touched). */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Steps taken so far. */
  readonly iterations: number;
  /** The learning rate the next step will use. */
  currentLearningRate(): number;
  /** Takes one step on `loss` and returns the loss before the step. */
  minimize(loss: () => tf.Scalar): number;
  /** Frees the optimizer's state (not the variables). */
  dispose(): void;
}

/** An optimizer that can also apply gradients computed elsewhere. */
export interface GradientOptimizer extends Optimizer {
  /** Takes one step from gradients keyed like the variables; the gradients are not disposed. */
  applyGradients(gradients: NamedGradients): void;
}

/** Options shared by every optimizer. */
export interface OptimizerOptions {
  /** The variables to train, e.g. a `Model`'s `variables`. Required. */
  variables: ReadonlyMap<string, tf.Variable>;
  /** A fixed learning rate or a {@link Schedule}. Required. */
  learningRate: number | Schedule;
  /** Clip the global gradient norm to this value before each step. Default: no clipping. */
  gradientClipNorm?: number;
}

/** What an update rule sees for one variable at one step. */
export interface UpdateContext {
  /** The variable's name in the map. */
  name: string;
  /** The variable's current value. */
  variable: tf.Variable;
  /** Its gradient (after clipping). */
  gradient: tf.Tensor;
  /** This step's learning rate. */
  learningRate: number;
  /** 1-based index of this step (for bias corrections). */
  step: number;
  /** A zero-initialized state tensor of the variable's shape, kept across steps under `key`. */
  slot(key: string): tf.Variable;
}

/** Computes a variable's new value; runs inside `tf.tidy`, may `assign` to slots. */
export type UpdateRule = (context: UpdateContext) => tf.Tensor;

/**
 * Builds an optimizer from an update rule. Every built-in optimizer is one of these; it is exported so
 * that a new rule gets schedules, clipping and leak-free state for free.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createGradientOptimizer } from '@emerge/optim';
 *
 * // Sign descent: every parameter moves by the learning rate against the sign of its gradient.
 * const w = tf.variable(tf.tensor1d([1, -1]));
 * const optimizer = createGradientOptimizer({ variables: new Map([['w', w]]), learningRate: 0.25 }, ({ variable, gradient, learningRate }) =>
 *   variable.sub(gradient.sign().mul(learningRate)),
 * );
 * optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
 * w.arraySync(); // => [0.75, -0.75]
 * console.assert(w.arraySync().join() === '0.75,-0.75');
 * ```
 */
export function createGradientOptimizer(options: OptimizerOptions, rule: UpdateRule): GradientOptimizer {
  const { variables } = options;
  const schedule = toSchedule(options.learningRate);
  const clipNorm =
    options.gradientClipNorm === undefined
      ? undefined
      : requireNumberInRange('gradientClipNorm', options.gradientClipNorm, 0, Number.POSITIVE_INFINITY);
  const slots = new Map<string, tf.Variable>();
  let iterations = 0;

  const slotFor = (name: string, variable: tf.Variable) => (key: string) => {
    const slotName = `${name}/${key}`;
    let slot = slots.get(slotName);
    if (slot === undefined) {
      slot = tf.tidy(() => tf.variable(tf.zerosLike(variable), false));
      slots.set(slotName, slot);
    }
    return slot;
  };

  const applyGradients = (gradients: NamedGradients): void => {
    const learningRate = schedule(iterations);
    if (!Number.isFinite(learningRate) || learningRate < 0) {
      throw new OptionError('learningRate', 'a finite number >= 0 at every step', learningRate);
    }
    const clipped = clipNorm === undefined ? undefined : clipByGlobalNorm(gradients, clipNorm).gradients;
    const used = clipped ?? gradients;
    const step = iterations + 1;
    for (const [name, variable] of variables) {
      if (!variable.trainable) continue;
      const gradient = used.get(name);
      if (gradient === undefined) throw new Error(`no gradient for variable "${name}"`);
      tf.tidy(() => {
        variable.assign(
          rule({ name, variable, gradient, learningRate, step, slot: slotFor(name, variable) }),
        );
      });
    }
    if (clipped !== undefined) disposeGradients(clipped);
    iterations = step;
  };

  return {
    variables,
    get iterations() {
      return iterations;
    },
    currentLearningRate: () => schedule(iterations),
    applyGradients,
    minimize(loss) {
      const { loss: value, gradients } = computeGradients(variables, loss);
      try {
        applyGradients(gradients);
      } finally {
        disposeGradients(gradients);
      }
      return value;
    },
    dispose() {
      for (const slot of slots.values()) slot.dispose();
      slots.clear();
    },
  };
}
