import { OptionError, requireIntegerInRange } from '../errors.js';

/** One share of a sweep split across machines or array-job tasks: the `index`-th of `count`. */
export interface Shard {
  /** Which share, from 0 to `count - 1`. */
  index: number;
  /** How many shares the sweep is split into, at least 1. */
  count: number;
}

/** Largest shard count accepted; far above any array job, low enough to catch a typo. */
const MAX_SHARD_COUNT = 1_000_000;

/**
 * The environment variables that carry an array-job index, in the order they are read: Kubernetes
 * Indexed Jobs, Slurm job arrays, AWS Batch array jobs.
 */
export const SHARD_INDEX_VARIABLES = [
  'JOB_COMPLETION_INDEX',
  'SLURM_ARRAY_TASK_ID',
  'AWS_BATCH_JOB_ARRAY_INDEX',
] as const;

/**
 * Checks a shard and returns it.
 * @param field how the shard is named in error messages.
 * @throws {OptionError} unless `count` is a positive integer and `index` an integer in [0, count - 1].
 * @example
 * ```ts
 * import { OptionError, validateShard } from '@emerge/core';
 *
 * validateShard({ index: 2, count: 4 }); // => { index: 2, count: 4 }
 * let caught: unknown;
 * try {
 *   validateShard({ index: 4, count: 4 }); // index must be in [0, count - 1]
 * } catch (error) {
 *   caught = error;
 * }
 * console.assert(caught instanceof OptionError);
 * ```
 */
export function validateShard(shard: unknown, field = 'shard'): Shard {
  if (typeof shard !== 'object' || shard === null)
    throw new OptionError(field, 'an object { index, count }', shard);
  const { index, count } = shard as Partial<Shard>;
  requireIntegerInRange(`${field}.count`, count, 1, MAX_SHARD_COUNT);
  requireIndexBelowCount(`${field}.index`, index, count as number);
  return { index: index as number, count: count as number };
}

function requireIndexBelowCount(field: string, index: unknown, count: number): void {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new OptionError(field, `an integer in [0, ${count - 1}] (below the shard count ${count})`, index);
  }
}

/**
 * Reads this process's shard index from the array-job variable of the scheduler that started it
 * (`JOB_COMPLETION_INDEX`, `SLURM_ARRAY_TASK_ID` or `AWS_BATCH_JOB_ARRAY_INDEX`, first one set wins).
 * The count is not in the environment in a portable way, so the caller passes it.
 *
 * Slurm numbers array tasks as the user asked (`--array=0-3` gives 0..3, `--array=1-4` gives 1..4):
 * start arrays at 0.
 *
 * @param environment usually `process.env` (passed in so this works outside Node too).
 * @returns the shard, or `undefined` when none of the variables is set.
 * @throws {OptionError} when the variable is not an integer or is not below `count`.
 * @example
 * ```ts
 * import { shardFromEnvironment } from '@emerge/core';
 *
 * // Task 2 of a 4-task Slurm array (Kubernetes sets JOB_COMPLETION_INDEX instead).
 * const shard = shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '2' }, 4); // => { index: 2, count: 4 }
 * console.assert(shard.index === 2 && shard.count === 4);
 * ```
 */
export function shardFromEnvironment(
  environment: Readonly<Record<string, string | undefined>>,
  count: number,
): Shard | undefined {
  requireIntegerInRange('shard count', count, 1, MAX_SHARD_COUNT);
  for (const variable of SHARD_INDEX_VARIABLES) {
    const text = environment[variable];
    if (text === undefined || text === '') continue;
    const index = /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;
    requireIndexBelowCount(`${variable} (the shard index)`, index, count);
    return { index: index as number, count };
  }
  return undefined;
}
