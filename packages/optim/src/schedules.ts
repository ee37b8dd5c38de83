/**
 * Learning-rate schedules: plain functions from the index of the step about to be taken (0-based) to a
 * learning rate, so they compose (`warmup(cosineSchedule(...), 100)`) and plot without any tensors.
 */
import { requireIntegerInRange, requireNumberInRange } from '@emerge/core';

/** A learning rate as a function of the 0-based index of the step about to be taken. */
export type Schedule = (step: number) => number;

/**
 * The same learning rate at every step.
 * @example
 * ```ts
 * import { constantSchedule } from '@emerge/optim';
 *
 * constantSchedule(0.1)(500); // => 0.1
 * console.assert(constantSchedule(0.1)(500) === 0.1);
 * ```
 */
export function constantSchedule(learningRate: number): Schedule {
  requireNumberInRange('learningRate', learningRate, 0, Number.POSITIVE_INFINITY);
  return () => learningRate;
}

/** Options of {@link cosineSchedule}. */
export interface CosineScheduleOptions {
  /** Learning rate at step 0. Required, >= 0. */
  initial: number;
  /** Learning rate reached at `totalSteps` and kept after it. Default: `0`. */
  final?: number;
  /** Steps over which the rate falls from `initial` to `final` along half a cosine. Required, >= 1. */
  totalSteps: number;
}

/**
 * Cosine decay (Loshchilov & Hutter 2017, without restarts):
 * `final + (initial - final) (1 + cos(pi step / totalSteps)) / 2`, then `final`.
 * @example
 * ```ts
 * import { cosineSchedule } from '@emerge/optim';
 *
 * const schedule = cosineSchedule({ initial: 1e-3, totalSteps: 1000 });
 * schedule(500); // => 5e-4, half way down
 * console.assert(Math.abs(schedule(500) - 5e-4) < 1e-12 && schedule(0) === 1e-3);
 * ```
 */
export function cosineSchedule(options: CosineScheduleOptions): Schedule {
  const initial = requireNumberInRange('initial', options.initial, 0, Number.POSITIVE_INFINITY);
  const final = requireNumberInRange('final', options.final ?? 0, 0, Number.POSITIVE_INFINITY);
  const totalSteps = requireIntegerInRange('totalSteps', options.totalSteps, 1, Number.MAX_SAFE_INTEGER);
  return (step) => {
    if (step >= totalSteps) return final;
    return final + ((initial - final) * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2;
  };
}

/** Options of {@link stepSchedule}. */
export interface StepScheduleOptions {
  /** Learning rate of the first `every` steps. Required, >= 0. */
  initial: number;
  /** Factor applied after every `every` steps. Default: `0.1`. */
  factor?: number;
  /** Number of steps between decays. Required, >= 1. */
  every: number;
}

/**
 * Piecewise-constant decay: `initial * factor^floor(step / every)`.
 * @example
 * ```ts
 * import { stepSchedule } from '@emerge/optim';
 *
 * stepSchedule({ initial: 0.1, every: 30 })(65); // => 0.001: divided by 10 at steps 30 and 60
 * console.assert(Math.abs(stepSchedule({ initial: 0.1, every: 30 })(65) - 0.001) < 1e-15);
 * ```
 */
export function stepSchedule(options: StepScheduleOptions): Schedule {
  const initial = requireNumberInRange('initial', options.initial, 0, Number.POSITIVE_INFINITY);
  const factor = requireNumberInRange('factor', options.factor ?? 0.1, 0, Number.POSITIVE_INFINITY);
  const every = requireIntegerInRange('every', options.every, 1, Number.MAX_SAFE_INTEGER);
  return (step) => initial * factor ** Math.floor(step / every);
}

/**
 * Linear warm-up in front of any schedule: step `s < warmupSteps` uses `schedule(s) * (s + 1) /
 * warmupSteps`, so the first step is small but not zero; later steps use `schedule(s)` unchanged.
 * @example
 * ```ts
 * import { constantSchedule, warmup } from '@emerge/optim';
 *
 * const schedule = warmup(constantSchedule(1e-3), 100);
 * schedule(0); // => 1e-5
 * schedule(99); // => 1e-3
 * console.assert(Math.abs(schedule(0) - 1e-5) < 1e-15 && schedule(99) === 1e-3);
 * ```
 */
export function warmup(schedule: Schedule | number, warmupSteps: number): Schedule {
  const inner = toSchedule(schedule);
  requireIntegerInRange('warmupSteps', warmupSteps, 0, Number.MAX_SAFE_INTEGER);
  return (step) => (step < warmupSteps ? (inner(step) * (step + 1)) / warmupSteps : inner(step));
}

/**
 * A number becomes a {@link constantSchedule}; a schedule is returned as is.
 * @example
 * ```ts
 * import { cosineSchedule, toSchedule } from '@emerge/optim';
 *
 * toSchedule(0.01)(500); // => 0.01 at every step
 * const cosine = cosineSchedule({ initial: 0.1, totalSteps: 100 });
 * console.assert(toSchedule(0.01)(500) === 0.01 && toSchedule(cosine) === cosine);
 * ```
 */
export function toSchedule(learningRate: Schedule | number): Schedule {
  return typeof learningRate === 'number' ? constantSchedule(learningRate) : learningRate;
}
