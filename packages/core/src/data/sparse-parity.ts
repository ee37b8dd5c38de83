import { requireIntegerInRange, requireNumberInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** Options of {@link createSparseParity}. */
export interface SparseParityOptions {
  /** Number of tasks, an integer in [1, 1000]. Default: `16`. */
  tasks?: number;
  /** Number of data bits n, an integer in [1, 10000]. Default: `50`. */
  bits?: number;
  /** Bits each task's parity reads, an integer in [1, bits]. Default: `3`. */
  k?: number;
  /** Task i (counted from 1) is drawn with probability proportional to i^-zipfExponent, >= 0. Default: `1.4`. */
  zipfExponent?: number;
  /** Seed of the tasks' bit subsets (fixed for the task family). Required. */
  seed: number;
}

/** A batch of multitask sparse-parity examples. */
export interface SparseParityBatch {
  /** `count` rows of `tasks + bits` floats: the task id one-hot, then the bits as -1 / +1. */
  readonly inputs: Float32Array;
  /** 1 when an odd number of the task's k bits are -1 (the parity), else 0. */
  readonly labels: Uint8Array;
  /** The task of each example, in [0, tasks). */
  readonly taskIds: Int32Array;
}

/** A family of sparse-parity tasks (Michaud et al. 2023) that samples fresh batches. */
export interface SparseParity {
  readonly tasks: number;
  readonly bits: number;
  readonly k: number;
  /** Width of an input row: `tasks + bits`. */
  readonly inputSize: number;
  /** For each task, the k bit positions its parity reads, ascending; `tasks * k` entries. */
  readonly subsets: Int32Array;
  /** Probability of each task (Zipf), summing to 1. */
  readonly frequencies: Float64Array;
  /** Draws `count` examples (task by frequency, bits uniform), deterministically from `seed`. */
  sample(count: number, seed: number): SparseParityBatch;
}

/**
 * Multitask sparse parity: each task is the parity of its own k fixed bits out of n, tasks are drawn with
 * Zipf frequencies, and the input names the task (one-hot) beside the bits. Networks learn the tasks one
 * at a time, most frequent first, which is what the stepwise-skills figure shows.
 * @throws OptionError for out-of-range options.
 * @example
 * ```ts
 * import { createSparseParity } from '@emerge/core';
 *
 * const family = createSparseParity({ tasks: 16, bits: 50, k: 3, seed: 1 });
 * family.inputSize; // => 66: 16 task-id columns, then 50 bits
 * const batch = family.sample(1024, 0); // a fresh sample per seed, e.g. one per training step
 * console.assert(family.inputSize === 66 && batch.labels.length === 1024);
 * // Task 0 is the most frequent (Zipf frequencies).
 * console.assert(family.frequencies[0]! > family.frequencies[15]!);
 * ```
 */
export function createSparseParity(options: SparseParityOptions): SparseParity {
  const tasks = requireIntegerInRange('tasks', options.tasks ?? 16, 1, 1000);
  const bits = requireIntegerInRange('bits', options.bits ?? 50, 1, 10_000);
  const k = requireIntegerInRange('k', options.k ?? 3, 1, bits);
  const exponent = requireNumberInRange(
    'zipfExponent',
    options.zipfExponent ?? 1.4,
    0,
    Number.POSITIVE_INFINITY,
  );
  const taskRandom = createRandom(options.seed).fork('sparse-parity-tasks');
  const subsets = new Int32Array(tasks * k);
  for (let task = 0; task < tasks; task++) {
    subsets.set(Int32Array.from(taskRandom.permutation(bits).slice(0, k)).sort(), task * k);
  }
  const weights = Array.from({ length: tasks }, (_, task) => (task + 1) ** -exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const frequencies = Float64Array.from(weights, (weight) => weight / total);
  const cumulative = new Float64Array(tasks);
  frequencies.reduce((sum, frequency, task) => {
    cumulative[task] = sum + frequency;
    return sum + frequency;
  }, 0);
  const inputSize = tasks + bits;

  return {
    tasks,
    bits,
    k,
    inputSize,
    subsets,
    frequencies,
    sample(count, seed) {
      requireIntegerInRange('count', count, 1, 10_000_000);
      const random = createRandom(seed).fork('sparse-parity-sample');
      const inputs = new Float32Array(count * inputSize);
      const labels = new Uint8Array(count);
      const taskIds = new Int32Array(count);
      for (let example = 0; example < count; example++) {
        const draw = random.uniform();
        let task = 0;
        while (task < tasks - 1 && draw >= (cumulative[task] as number)) task++;
        const row = example * inputSize;
        inputs[row + task] = 1;
        // −1 when uniform() < 0.5, i.e. when the draw's top bit is 0: the same bits as that comparison,
        // without a branch that the random signs mispredict half the time.
        for (let bit = 0; bit < bits; bit++) inputs[row + tasks + bit] = 2 * (random.nextUint32() >>> 31) - 1;
        let negatives = 0;
        for (let index = 0; index < k; index++) {
          if (inputs[row + tasks + (subsets[task * k + index] as number)] === -1) negatives++;
        }
        labels[example] = negatives % 2;
        taskIds[example] = task;
      }
      return { inputs, labels, taskIds };
    },
  };
}
