/**
 * The training loop every figure uses: steps (or epochs of steps), one batch per step from a callback,
 * evaluation on named splits at chosen steps, early stopping on a target, and a history of plain
 * arrays that goes straight into a figure's JSON.
 */

import { OptionError, requireIntegerInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from './optimizer.js';

/** Where a step sits in an epoch-based run. */
export interface StepPosition {
  /** 0-based epoch (always 0 when the run is given in steps). */
  epoch: number;
  /** 0-based index of the step within its epoch. */
  stepInEpoch: number;
}

/** A metric value to reach: training stops at the first evaluation where it holds. */
export interface TrainingTarget {
  /** The split whose metric is watched, e.g. `train`. */
  split: string;
  /** The metric, e.g. `accuracy`. */
  metric: string;
  /** Stop once the metric is >= this. Default: not used. */
  atLeast?: number;
  /** Stop once the metric is <= this. Default: not used. */
  atMost?: number;
}

/** Metrics of one evaluation: split name to metric name to value. */
export type EvaluationResult = Record<string, Record<string, number>>;

/** Options of {@link train}. */
export interface TrainOptions<Batch> {
  /** The optimizer; it knows the variables. Required. */
  optimizer: Optimizer;
  /** The mean loss of a batch (runs under the gradient tape). Required. */
  loss: (batch: Batch) => tf.Scalar;
  /** The batch of a step (0-based). Required. */
  batch: (step: number, position: StepPosition) => Batch;
  /** Dispose every tensor of a batch after its step (for freshly made batches). Default: `false`. */
  disposeBatch?: boolean;
  /** Number of steps. Give this or `epochs` with `stepsPerEpoch`. */
  steps?: number;
  /** Number of epochs (with `stepsPerEpoch`). */
  epochs?: number;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number;
  /**
   * Named evaluations: each returns metrics of one split, e.g. `{ train: () => ({ loss, accuracy }) }`.
   * They run inside `tf.tidy`. Default: none.
   */
  evaluate?: Record<string, () => Record<string, number>>;
  /**
   * When to evaluate, counted in completed steps: every k steps, or a predicate. The last step is always
   * evaluated. Default: only the last step.
   */
  evaluateEvery?: number | ((completedSteps: number) => boolean);
  /** Also evaluate before the first step (recorded as step 0). Default: `false`. */
  evaluateAtStart?: boolean;
  /** Stop at the first evaluation where this target holds. Default: no target. */
  target?: TrainingTarget;
  /** Record the training loss every k steps. Default: `1`. */
  recordLossEvery?: number;
  /** Called after every step with the batch loss; return `'stop'` to end training (the step is then evaluated). */
  onStep?: (completedSteps: number, loss: number) => undefined | 'stop';
  /** Called after every evaluation; return `'stop'` to end training. */
  onEvaluation?: (completedSteps: number, result: EvaluationResult) => undefined | 'stop';
}

/** What {@link train} returns: plain arrays, ready for JSON. */
export interface TrainingHistory {
  /** Completed-step counts at which the loss was recorded. */
  lossSteps: number[];
  /** Training batch loss at those steps (the loss before each step's update). */
  loss: number[];
  /** Completed-step counts at which evaluations ran. */
  evaluationSteps: number[];
  /** `metrics[split][metric][i]` belongs to `evaluationSteps[i]`. */
  metrics: Record<string, Record<string, number[]>>;
  /** Steps actually taken. */
  stepsTaken: number;
  /** Why training ended. */
  stopReason: 'completed' | 'target' | 'callback';
}

/**
 * Thrown when the loss becomes NaN or infinite; names the step so a run can be diagnosed. The loss is
 * only known after the step, so that step's (non-finite) update has already been applied.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createSgd, NonFiniteLossError, train } from '@emerge/optim';
 *
 * // A learning rate far too large for the curvature makes the loss overflow to Infinity.
 * const w = tf.variable(tf.scalar(1));
 * let caught: unknown;
 * try {
 *   train({
 *     optimizer: createSgd({ variables: new Map([['w', w]]), learningRate: 1e6 }),
 *     loss: () => tf.square(tf.mul(w, 1e6)) as tf.Scalar,
 *     batch: () => undefined,
 *     steps: 100,
 *   });
 * } catch (error) {
 *   caught = error; // error.step names the first step whose loss was not finite
 * }
 * console.assert(caught instanceof NonFiniteLossError);
 * ```
 */
export class NonFiniteLossError extends Error {
  /** 0-based index of the step whose loss was not finite. */
  readonly step: number;
  /** The offending loss value. */
  readonly loss: number;

  constructor(step: number, loss: number) {
    super(`training loss is ${loss} at step ${step}`);
    this.name = 'NonFiniteLossError';
    this.step = step;
    this.loss = loss;
  }
}

/**
 * Trains with `optimizer` for a number of steps and returns the history.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createAdamW, train } from '@emerge/optim';
 *
 * // Fit y = 2x with one weight, full batch.
 * const w = tf.variable(tf.scalar(0));
 * const fullBatch = { x: tf.tensor1d([1, 2, 3]), y: tf.tensor1d([2, 4, 6]) };
 * const history = train({
 *   optimizer: createAdamW({ variables: new Map([['w', w]]), learningRate: 0.1, weightDecay: 0 }),
 *   loss: ({ x, y }) => tf.mean(tf.square(tf.sub(tf.mul(w, x), y))) as tf.Scalar,
 *   batch: () => fullBatch,
 *   disposeBatch: false,
 *   steps: 300,
 *   evaluate: { train: () => ({ weight: w.dataSync()[0]! }) },
 *   evaluateEvery: 100,
 * });
 * history.evaluationSteps; // => [100, 200, 300]
 * history.metrics.train!.weight; // => approaching 2
 * console.assert(Math.abs(history.metrics.train!.weight!.at(-1)! - 2) < 0.01);
 * ```
 */
export function train<Batch>(options: TrainOptions<Batch>): TrainingHistory {
  const { optimizer, loss, batch } = options;
  const { totalSteps, stepsPerEpoch } = resolveSteps(options);
  const recordLossEvery = requireIntegerInRange(
    'recordLossEvery',
    options.recordLossEvery ?? 1,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const shouldEvaluate = evaluationPredicate(options.evaluateEvery);
  const evaluations = options.evaluate ?? {};
  const history: TrainingHistory = {
    lossSteps: [],
    loss: [],
    evaluationSteps: [],
    metrics: {},
    stepsTaken: 0,
    stopReason: 'completed',
  };

  const runEvaluation = (completedSteps: number): boolean => {
    if (Object.keys(evaluations).length === 0) return false;
    const result: EvaluationResult = {};
    for (const [split, evaluateSplit] of Object.entries(evaluations)) {
      result[split] = tf.tidy(() => evaluateSplit());
    }
    appendEvaluation(history, completedSteps, result);
    if (options.target !== undefined && targetReached(options.target, result)) {
      history.stopReason = 'target';
      return true;
    }
    if (options.onEvaluation?.(completedSteps, result) === 'stop') {
      history.stopReason = 'callback';
      return true;
    }
    return false;
  };

  if (options.evaluateAtStart && runEvaluation(0)) return history;
  for (let step = 0; step < totalSteps; step++) {
    const current = batch(step, {
      epoch: Math.floor(step / stepsPerEpoch),
      stepInEpoch: step % stepsPerEpoch,
    });
    let value: number;
    try {
      value = optimizer.minimize(() => loss(current));
    } finally {
      if (options.disposeBatch) tf.dispose(current as tf.TensorContainer);
    }
    if (!Number.isFinite(value)) throw new NonFiniteLossError(step, value);
    const completed = step + 1;
    history.stepsTaken = completed;
    if (completed % recordLossEvery === 0 || completed === totalSteps) {
      history.lossSteps.push(completed);
      history.loss.push(value);
    }
    if (options.onStep?.(completed, value) === 'stop') {
      history.stopReason = 'callback';
      if (Object.keys(evaluations).length > 0 && history.evaluationSteps.at(-1) !== completed)
        runEvaluation(completed);
      return history;
    }
    if ((shouldEvaluate(completed) || completed === totalSteps) && runEvaluation(completed)) return history;
  }
  return history;
}

function resolveSteps<Batch>(options: TrainOptions<Batch>): { totalSteps: number; stepsPerEpoch: number } {
  if (options.steps !== undefined) {
    if (options.epochs !== undefined)
      throw new OptionError('epochs', 'absent when steps is given', options.epochs);
    const totalSteps = requireIntegerInRange('steps', options.steps, 0, Number.MAX_SAFE_INTEGER);
    const stepsPerEpoch = requireIntegerInRange(
      'stepsPerEpoch',
      options.stepsPerEpoch ?? Math.max(totalSteps, 1),
      1,
      Number.MAX_SAFE_INTEGER,
    );
    return { totalSteps, stepsPerEpoch };
  }
  if (options.epochs === undefined)
    throw new OptionError('steps', 'given (or epochs with stepsPerEpoch)', undefined);
  const epochs = requireIntegerInRange('epochs', options.epochs, 0, Number.MAX_SAFE_INTEGER);
  const stepsPerEpoch = requireIntegerInRange(
    'stepsPerEpoch',
    options.stepsPerEpoch,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  return { totalSteps: epochs * stepsPerEpoch, stepsPerEpoch };
}

function evaluationPredicate(
  every: TrainOptions<unknown>['evaluateEvery'],
): (completedSteps: number) => boolean {
  if (every === undefined) return () => false;
  if (typeof every === 'function') return every;
  const period = requireIntegerInRange('evaluateEvery', every, 1, Number.MAX_SAFE_INTEGER);
  return (completedSteps) => completedSteps % period === 0;
}

function appendEvaluation(history: TrainingHistory, completedSteps: number, result: EvaluationResult): void {
  history.evaluationSteps.push(completedSteps);
  const length = history.evaluationSteps.length;
  for (const [split, metrics] of Object.entries(result)) {
    const splitHistory = history.metrics[split] ?? {};
    history.metrics[split] = splitHistory;
    for (const [metric, value] of Object.entries(metrics)) {
      // A metric missing from some evaluation is NaN there, so every array stays aligned with the steps.
      const values = splitHistory[metric] ?? new Array<number>(length - 1).fill(Number.NaN);
      splitHistory[metric] = values;
      values.push(value);
    }
  }
  for (const splitHistory of Object.values(history.metrics)) {
    for (const values of Object.values(splitHistory)) if (values.length < length) values.push(Number.NaN);
  }
}

function targetReached(target: TrainingTarget, result: EvaluationResult): boolean {
  const value = result[target.split]?.[target.metric];
  if (value === undefined) {
    throw new OptionError(
      'target',
      `a metric the evaluations return (${target.split}.${target.metric} is missing)`,
      target.metric,
    );
  }
  if (target.atLeast !== undefined && value >= target.atLeast) return true;
  return target.atMost !== undefined && value <= target.atMost;
}
